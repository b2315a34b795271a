"""What a lecturer puts next to the video: captions, poster, storyboard, handout, slides."""
