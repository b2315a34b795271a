"""Trained results are shipped data: loaded and checked, never trained by a render, and
reproducible by their regeneration command on any CPU (by their metrics, not their bits)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lecturekit.assets import AssetError, file_sha256
from scenes.numerics import kl_vae
from scenes.numerics.kl_vae import ASSETS_DIR

METRICS = kl_vae.METRICS


@pytest.fixture(scope="module")
def shipped() -> dict[int, kl_vae.KLVAEResult]:
    return {beta: kl_vae.load_kl_vae(beta) for beta in kl_vae.BETAS}


def test_assets_hold_both_runs_with_their_provenance(shipped):
    provenance = kl_vae.read_provenance()
    assert provenance["command"] == kl_vae.REGENERATE
    assert provenance["training"]["seeds"]["train"] == kl_vae.TRAIN_SEED
    for beta in kl_vae.BETAS:
        path = kl_vae.asset_path(beta)
        entry = provenance["files"][path.name]
        assert entry["beta"] == beta
        assert file_sha256(path) == entry["sha256"], f"{path.name} differs from its provenance"
        # The provenance states the metrics of exactly the shipped file.
        assert entry["metrics"] == {m: getattr(shipped[beta], m) for m in METRICS}
    assert sorted(p.name for p in ASSETS_DIR.glob("kl_vae*")) == sorted(
        [kl_vae.PROVENANCE_PATH.name, *(kl_vae.asset_path(b).name for b in kl_vae.BETAS)]
    )


def test_shipped_arrays_give_the_numbers_the_slide_prints(shipped):
    for beta, result in shipped.items():
        arrays = {
            name: getattr(result, name)
            for name in (
                "data",
                "post_mean",
                "post_std",
                "reconstruction",
                "prior_decoded",
                "interp_decoded",
            )
        }
        # The metrics the slide prints are the ones these arrays give...
        recomputed = kl_vae.metrics_of(arrays)
        for name in METRICS:
            assert recomputed[name] == pytest.approx(getattr(result, name), rel=1e-9, abs=1e-12)
        # ...and the arrays are what the shipped weights decode (one forward pass: any CPU
        # agrees to rounding), so weights, pictures and numbers are one consistent result.
        fresh = kl_vae.result_from_params(beta, result.params, result.data, result.losses)
        for name in ("post_mean", "post_std", "prior_decoded", "interp_z", "interp_decoded"):
            np.testing.assert_allclose(
                getattr(fresh, name), getattr(result, name), rtol=1e-9, atol=1e-12, err_msg=name
            )
        assert np.array_equal(fresh.prior_samples, result.prior_samples)
        assert np.array_equal(fresh.interp_endpoints, result.interp_endpoints)


def test_loading_never_trains(monkeypatch):
    def no_training(*_args, **_kwargs):
        raise AssertionError("a render must read the shipped result, not train")

    monkeypatch.setattr(kl_vae, "train_vae", no_training)
    kl_vae.load_kl_vae.cache_clear()
    try:
        assert kl_vae.load_kl_vae(1).beta == 1.0
    finally:
        kl_vae.load_kl_vae.cache_clear()


def test_retraining_reproduces_the_shipped_metrics(shipped):
    # Training turns last-bit BLAS differences into other weights (another CPU, other
    # pictures); what must hold on every CPU is what the slide claims, in its metrics.
    for beta, result in shipped.items():
        fresh = kl_vae.run_kl_vae(beta)
        problems = kl_vae.compare_metrics(
            {m: getattr(fresh, m) for m in METRICS}, {m: getattr(result, m) for m in METRICS}
        )
        assert not problems, f"beta={beta}: " + "; ".join(problems)


def test_metric_comparison_rejects_a_different_result(shipped):
    # The tolerances have teeth: the other run's metrics (beta 0 against beta 1) fail.
    metrics = {beta: {m: getattr(r, m) for m in METRICS} for beta, r in shipped.items()}
    assert kl_vae.compare_metrics(metrics[0], metrics[1])
    assert not kl_vae.compare_metrics(metrics[1], metrics[1])


@pytest.fixture
def damaged(tmp_path: Path):
    """A copy of the beta = 1 asset to damage, and a loader that reads it."""
    path = tmp_path / kl_vae.asset_path(1).name
    shutil.copyfile(kl_vae.asset_path(1), path)
    return path


def _message(path: Path) -> str:
    with pytest.raises(AssetError) as caught:
        kl_vae.load_result(path)
    message = str(caught.value)
    assert path.name in message and kl_vae.REGENERATE in message, message
    assert "\n" not in message, "one line, not a traceback"
    return message


def test_missing_asset_names_the_file_and_the_command(damaged):
    damaged.unlink()
    assert "missing" in _message(damaged)


def test_truncated_asset_names_the_file_and_the_command(damaged):
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    assert "cannot be read" in _message(damaged)


def test_wrong_shape_asset_names_the_array(damaged):
    with np.load(damaged) as archive:
        arrays = {name: archive[name] for name in archive.files}
    arrays["prior_decoded"] = arrays["prior_decoded"][:10]
    np.savez_compressed(damaged, **arrays)
    assert "'prior_decoded' has shape (10, 2)" in _message(damaged)


def test_asset_without_an_array_or_with_nan_is_refused(damaged):
    with np.load(damaged) as archive:
        arrays = {name: archive[name] for name in archive.files}
    broken = dict(arrays)
    del broken["interp_z"]
    np.savez_compressed(damaged, **broken)
    assert "no array 'interp_z'" in _message(damaged)
    arrays["post_std"] = arrays["post_std"].copy()
    arrays["post_std"][3, 1] = np.nan
    np.savez_compressed(damaged, **arrays)
    assert "NaN" in _message(damaged)


def test_not_an_npz_is_refused(damaged):
    damaged.write_text("not a zip archive")
    assert not zipfile.is_zipfile(damaged)
    assert "cannot be read" in _message(damaged)
