"""Name suggestions ("did you mean ...?") are difflib's, with difflib loaded only when needed."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from tagkit._values import close_match, did_you_mean

WORDS = st.text(alphabet="abc_xyz-01", max_size=12)


@settings(max_examples=400, deadline=None)
@given(word=WORDS, known=st.lists(WORDS, max_size=6), cutoff=st.sampled_from([0.6, 0.85]))
def test_close_match_is_difflibs_best_match(word: str, known: list[str], cutoff: float) -> None:
    found = difflib.get_close_matches(word, known, n=1, cutoff=cutoff)
    assert close_match(word, known, cutoff=cutoff) == (found[0] if found else None)


def test_did_you_mean_names_the_closest_word_or_nothing() -> None:
    assert did_you_mean("unit_prize", ["unit_price", "name"]) == "did you mean 'unit_price'? "
    assert did_you_mean("zzz", ["unit_price", "name"]) == ""
