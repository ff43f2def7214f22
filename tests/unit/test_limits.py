"""The server owner's limits (explorer/limits.py): safe defaults, read from the environment in one
place, a bad setting keeps its default, and each refusal names the setting that allows more."""

from explorer import limits


def test_hole4_limits_have_safe_defaults_and_read_the_environment():
    assert limits.Limits.from_env({}) == limits.Limits()
    assert limits.Limits() == limits.Limits(1800.0, 5000, 2, 128, 512, 100_000, 10.0)
    environ = {
        "EXPLORER_MAX_RUN_SECONDS": "90.5",
        "EXPLORER_MAX_RUN_STEPS": "5",
        "EXPLORER_MAX_JOBS_PER_CLIENT": "1",
        "EXPLORER_MAX_BATCH": "16",
        "EXPLORER_MAX_LENGTH": " 64 ",
        "EXPLORER_MAX_TRAIN_SIZE": "1000",
        "EXPLORER_MAX_EPOCHS": "2",
    }
    assert limits.Limits.from_env(environ) == limits.Limits(90.5, 5, 1, 16, 64, 1000, 2.0)


def test_hole4_a_setting_that_is_not_a_positive_number_keeps_its_default():
    environ = {"EXPLORER_MAX_RUN_STEPS": "0", "EXPLORER_MAX_BATCH": "lots", "EXPLORER_MAX_EPOCHS": "inf"}
    assert limits.Limits.from_env(environ) == limits.Limits()
    assert limits.Limits.from_env({"EXPLORER_MAX_LENGTH": "2.5"}).length == 512  # a whole number only


def test_hole4_a_refusal_names_the_value_the_limit_and_its_setting():
    allowed = limits.Limits(batch=16)
    assert allowed.above("batch", 16, "batch size") is None
    assert allowed.above("batch", 17, "batch size") == (
        "batch size 17 is above this server's limit of 16 (EXPLORER_MAX_BATCH)"
    )
    assert limits.UNLIMITED.above("run_steps", 10**12, "steps") is None
