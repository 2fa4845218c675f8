"""Every attack catches its positive control and scores its negative control near the baseline."""

import pytest

from mhprivbench import registry
from mhprivbench.testing import tiny_splits
from mhprivbench.testing.controls import CONTROLS, Control, check_controls


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=2)


@pytest.mark.parametrize("attack", list(registry.get_all("attack")))
def test_every_attack_has_controls(attack):
    assert attack in CONTROLS, f"attack {attack!r} has no positive/negative control in mhprivbench.testing"


@pytest.mark.parametrize("attack", sorted(CONTROLS))
def test_attack_catches_positive_and_spares_negative(attack, splits):
    positive, negative = check_controls(attack, splits, seed=0)
    assert positive.value > negative.value


def test_a_blind_attack_fails_its_controls(splits):
    """The check can fail: an attack judged on a metric it cannot move (the negative on both sides) is caught."""
    blind = CONTROLS["reid_linkage"]
    registry_backup = dict(CONTROLS)
    try:
        CONTROLS["reid_linkage"] = Control("reid_linkage", blind.metric, blind.negative, blind.negative,
                                           positive_floor=blind.positive_floor,
                                           negative_tolerance=blind.negative_tolerance)
        with pytest.raises(AssertionError, match="misses a release it must catch"):
            check_controls("reid_linkage", splits, seed=0)
    finally:
        CONTROLS.clear()
        CONTROLS.update(registry_backup)
