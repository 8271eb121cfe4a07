"""``Within``: the one check, for the readers and the writer, that a link leads nowhere else."""

from __future__ import annotations

from pathlib import Path

from codegen.output.within import Within


def test_files_and_links_are_judged_by_where_they_really_are(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    (root / "inner").mkdir(parents=True)
    elsewhere.mkdir()
    (root / "inner" / "page.md").write_text("x", encoding="utf-8")
    (root / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    (root / "inner" / "linked-page.md").symlink_to(elsewhere / "secret.md")
    (root / "inner" / "alias.md").symlink_to(root / "inner" / "page.md")
    within = Within(root)

    assert within.holds(root / "top.md"), "a file right in the root"
    assert within.holds(root / "inner" / "page.md")
    assert within.holds(root / "inner" / "not-yet-written.md")
    assert within.holds(root / "inner" / "alias.md"), "a link that stays inside"
    assert not within.holds(root / "inner" / "linked-page.md")
    assert not within.holds(root / "linked-folder" / "page.md")
    assert not within.holds(tmp_path / "rootless" / "page.md"), "a sibling sharing a prefix"


def test_a_root_reached_through_a_link_holds_its_own_files(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    assert Within(tmp_path / "alias").holds(tmp_path / "alias" / "page.md")
    assert Within(tmp_path / "alias").holds(tmp_path / "real" / "page.md")


def test_a_folder_is_judged_by_where_it_really_is(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    (root / "inner").mkdir(parents=True)
    elsewhere.mkdir()
    (root / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    within = Within(root)

    assert within.holds_folder(root), "the root itself"
    assert within.holds_folder(root / "inner")
    assert within.holds_folder(root / "inner" / "not-yet-made")
    assert not within.holds_folder(root / "linked-folder")
    assert not within.holds_folder(root / "linked-folder" / "below")
    assert not within.holds_folder(tmp_path / "rootless"), "a sibling sharing a prefix"
