from logbert.reporting.curve_reading import read_curve


def epochs(train, val=None):
    rows = []
    for i, loss in enumerate(train):
        row = {"epoch": i + 1, "train_loss": loss}
        if val is not None:
            row["val_loss"] = val[i]
        rows.append(row)
    return {"steps": [], "epochs": rows}


def test_overfitting_when_validation_rises_while_training_falls():
    reading = read_curve(epochs([2.0, 1.5, 1.0, 0.7, 0.5], [1.8, 1.2, 1.0, 1.1, 1.3]))
    assert reading.verdict == "overfitting"
    assert "epoch 3" in reading.reason


def test_validation_rising_with_training_rising_is_not_overfitting():
    reading = read_curve(epochs([1.0, 0.9, 0.8, 0.9, 1.2], [1.0, 0.9, 0.8, 0.9, 1.2]))
    assert reading.verdict == "worsening"


def test_still_improving_and_converged():
    assert read_curve(epochs([3, 2, 1.5, 1.2, 1.0, 0.8, 0.6, 0.5])).verdict == "improving"
    flat = read_curve(epochs([3, 1, 0.5, 0.41, 0.405, 0.404, 0.404, 0.403]))
    assert flat.verdict == "converged"


def test_a_loss_near_zero_is_converged_whatever_its_relative_change():
    tiny = read_curve(epochs([0.5, 0.01, 0.0005, 0.00012, 0.0001, 0.00009, 0.00008]))
    assert tiny.verdict == "converged" and "near zero" in tiny.reason


def test_validation_loss_is_preferred_over_training_loss():
    # training still falls fast but validation has levelled off: converged, not improving
    history = epochs([3, 2, 1.5, 1.0, 0.6, 0.3], [1.0, 0.8, 0.7, 0.7, 0.699, 0.699])
    reading = read_curve(history)
    assert reading.verdict == "converged"
    assert "validation" in reading.reason


def test_steps_only_and_too_short():
    steps = [{"step": i, "loss": 5 / i, "avg": 5 / i} for i in range(1, 41)]
    assert read_curve({"steps": steps, "epochs": []}).verdict == "improving"
    assert read_curve({"steps": steps[:3], "epochs": []}).verdict == "too short"
    assert read_curve({}).verdict == "too short"


def test_missing_or_non_numeric_values_are_tolerated():
    history = epochs([2.0, 1.0, None, 0.5], [1.0, None, 0.9, 0.8])
    assert read_curve(history).verdict == "too short"


def test_a_run_early_stopping_ended_is_converged():
    """The curve still dips (0.1198 -> 0.1103), but early stopping ended the run: converged."""
    history = epochs([1.0, 0.5, 0.2, 0.15, 0.14], [0.2, 0.16, 0.13, 0.1198, 0.1103])
    config = {"params": {"epochs": 60}, "training": {"epochs_run": 58, "best_epoch": 50}}
    reading = read_curve(history, config)
    assert reading.verdict == "converged" and "epoch 58 of 60" in reading.reason
    assert read_curve(history).verdict == "improving"  # without the config: the curve alone
    done = {"params": {"epochs": 5}, "training": {"epochs_run": 5, "best_epoch": 5}}
    assert read_curve(history, done).verdict == "improving"  # ran every epoch asked for


def test_every_epoch_run_with_the_best_last_is_still_improving():
    """QA: `--epochs 8`, validation loss 0.662 -> 0.651 -> 0.610 -> 0.604, read "converged"
    (the last quarter, two points, fell 1%)."""
    history = epochs([1.2, 1.0, 0.9, 0.8, 0.75, 0.7, 0.66, 0.65],
                     [0.9, 0.8, 0.7, 0.68, 0.662, 0.651, 0.610, 0.604])  # fmt: skip
    assert read_curve(history).verdict == "converged"  # the curve alone
    done = {"params": {"epochs": 8}, "training": {"epochs_run": 8, "best_epoch": 8}}
    reading = read_curve(history, done)
    assert reading.verdict == "improving" and "all 8 epochs" in reading.reason
    earlier = {"params": {"epochs": 8}, "training": {"epochs_run": 8, "best_epoch": 6}}
    assert read_curve(history, earlier).verdict == "converged"  # best before the end: the curve
