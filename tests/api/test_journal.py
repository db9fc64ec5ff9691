"""The journal: append-only, survives a cut line, locked against a second run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagkit.api import Journal, JournalError


def test_done_pending_and_digests(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "sync.journal"
    with Journal(path) as journal:
        journal.done("contacts", "ana@shop.example", "d1")
        journal.sending("purchases", "o-1")
        journal.sending("purchases", "o-2")
        journal.done("purchases", "o-2")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(line.startswith("{") for line in lines)
    with Journal(path) as journal:
        assert journal.is_done("contacts", "ana@shop.example", "d1")
        assert not journal.is_done("contacts", "ana@shop.example", "d2")  # changed: resend
        assert journal.is_pending("purchases", "o-1") and not journal.is_done("purchases", "o-1")
        assert journal.is_done("purchases", "o-2") and not journal.is_pending("purchases", "o-2")
        journal.done("purchases", "o-1")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 5  # appended, never rewritten


def test_a_line_cut_by_a_kill_is_ignored_and_closed(tmp_path: Path) -> None:
    path = tmp_path / "sync.journal"
    path.write_text(
        '{"kind":"purchases","key":"o-1","state":"done","digest":""}\n{"kind":"purch',
        encoding="utf-8",
    )
    with Journal(path) as journal:
        assert journal.skipped_lines == 1
        assert journal.is_done("purchases", "o-1")
        journal.done("purchases", "o-2")
    with Journal(path) as journal:
        assert journal.is_done("purchases", "o-2") and journal.skipped_lines == 1


def test_a_second_run_cannot_share_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "sync.journal"
    with Journal(path), pytest.raises(JournalError, match="is in use by another run"):
        Journal(path).open()
    with Journal(path):
        pass  # free again


def test_an_unwritable_journal_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    with pytest.raises(JournalError, match="cannot open journal"):
        Journal(folder).open()
