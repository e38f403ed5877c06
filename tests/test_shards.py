"""Sharded imports merged, and the import on a local Dask cluster, give the database a plain
import gives: table by table, row by row (the times of writing aside)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from minutes_extract import batch, store
from minutes_extract.cli import cli

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
# Minutes that share attendees (the regional body's members across its meetings) and two
# persons of one name in two municipalities, so that linking across shards matters.
LINKED = ["mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md", "hogsby-ks-2007-01-08.pdf",
          "jonkoping-bun-2019-11-19.md", "jonkoping-bun-2022-01-25.md",
          "lithekod-styrelsemote-2019-09-25.md", "lithekod-styrelsemote-2020-08-20.md",
          "lithekod-styrelsemote-2021-02-04.md", "ix-sthlm-styrelsemote-2016-02-29.md",
          "ix-sthlm-styrelsemote-2017-03-17.md"]
# Columns that say when a row was written, not what it holds.
WHEN = {"documents": {"imported_at"}, "import_errors": {"at"}, "files": {"checked_ns"}}


def tables(db_path) -> dict[str, list[tuple]]:
    """Every table of the schema as sorted rows, without the columns in WHEN."""
    db = sqlite_utils.Database(db_path)
    out = {}
    for name in store.SCHEMA:
        cols = [c for c in db[name].columns_dict if c not in WHEN.get(name, set())]
        out[name] = sorted(db.execute(f"select {', '.join(f'[{c}]' for c in cols)} "
                                      f"from [{name}]").fetchall(), key=repr)
    # the search indexes find the same rows
    out["search"] = [db.execute(
        f"select count(*) from {t}_fts where {t}_fts match '\"beslut\"'").fetchone()
        for t in ("items", "decisions", "documents")]
    return out


def assert_same(got, expected) -> None:
    assert set(got) == set(expected)
    for name in expected:
        assert got[name] == expected[name], f"table {name} differs"
    assert expected["documents"] and expected["persons"] and expected["attendees"]


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("linked") / "minutes"
    folder.mkdir()
    for name in LINKED:
        shutil.copy(CORPUS / name, folder / name)
    reference = folder.parent / "plain.db"
    batch.run_import(reference, [str(folder)], workers=1)
    return folder, reference


def test_every_file_is_in_exactly_one_shard():
    keys = [f"{k:064x}" for k in range(300)]
    shards = [[key for key in keys if batch.in_shard(key, (k, 3))] for k in (1, 2, 3)]
    assert sorted(sum(shards, [])) == sorted(keys)
    assert all(60 < len(s) < 140 for s in shards)


def test_shards_merged_equal_a_plain_import(linked, tmp_path):
    folder, reference = linked
    runner = CliRunner()
    shards = [tmp_path / f"shard{k}.db" for k in (1, 2, 3)]
    for k, shard in enumerate(shards, 1):
        result = runner.invoke(cli, ["import", str(shard), str(folder), "--shard", f"{k}/3",
                                     "--workers", "1"])
        assert result.exit_code == 0, result.output
    counts = [sqlite_utils.Database(s)["documents"].count for s in shards]
    assert sum(counts) == len(LINKED) and all(counts)
    merged = tmp_path / "merged.db"
    # in another order than the shards were made: the result does not depend on it
    result = runner.invoke(cli, ["merge", str(merged), *map(str, reversed(shards))])
    assert result.exit_code == 0, result.output
    assert f"{len(LINKED)} documents added" in result.stderr
    assert_same(tables(merged), tables(reference))
    # merging a shard again adds nothing and changes nothing
    assert runner.invoke(cli, ["merge", str(merged), str(shards[0])]).exit_code == 0
    assert_same(tables(merged), tables(reference))


def test_a_merge_replaces_a_document_whose_file_was_corrected(linked, tmp_path):
    folder, reference = linked
    edited = tmp_path / "minutes"
    shutil.copytree(folder, edited)
    first = tmp_path / "first.db"
    batch.run_import(first, [str(edited)], workers=1)
    target = edited / LINKED[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nJusterat.\n", encoding="utf-8")
    second = tmp_path / "second.db"
    batch.run_import(second, [str(target)], workers=1)
    runner = CliRunner()
    assert runner.invoke(cli, ["merge", str(first), str(second)]).exit_code == 0
    db = sqlite_utils.Database(first)
    paths = [r[0] for r in db.execute("select path from documents order by path")]
    assert len(paths) == len(set(paths)) == len(LINKED)


def test_a_shard_of_no_files_and_a_bad_shard_are_reported(linked, tmp_path):
    folder, _ = linked
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "x.db"), str(folder),
                                      "--shard", "4/3"])
    assert result.exit_code == 2
    assert "1 <= K <= N" in result.output


def test_import_on_a_local_dask_cluster_equals_a_plain_import(corpus_db_path, tmp_path):
    pytest.importorskip("distributed")
    db_path = tmp_path / "dask.db"
    summary = batch.run_import(db_path, [str(CORPUS)], workers=2, executor="dask")
    assert summary.imported > 60 and not summary.stopped
    assert not (tmp_path / "dask.db.parts").exists()
    assert_same(tables(db_path), tables(corpus_db_path))


def test_parts_a_stopped_cluster_run_left_are_merged_by_the_next(linked, tmp_path):
    from minutes_extract import cluster

    folder, reference = linked
    db_path = tmp_path / "m.db"
    # what a run stopped after its workers wrote a part holds: a part, and no merge
    cluster.parts_folder(db_path).mkdir()
    batch.run_import(cluster.parts_folder(db_path) / "part-00000-1.db",
                     [str(folder / LINKED[0])], workers=1)
    db = store.open_db(db_path)
    assert cluster.merge_leftovers(db, db_path) == 1
    assert [r["file_name"] for r in db["documents"].rows] == [LINKED[0]]
    assert not cluster.parts_folder(db_path).exists()


def test_a_bulk_import_equals_a_plain_import_and_keeps_its_search_current(linked, tmp_path):
    folder, reference = linked
    db_path = tmp_path / "bulk.db"
    summary = batch.run_import(db_path, [str(folder)], workers=1, bulk=True)
    assert summary.imported == len(LINKED)
    assert_same(tables(db_path), tables(reference))
    db = sqlite_utils.Database(db_path)
    # the triggers are back: what is written next is found
    assert {"decisions_ai", "decisions_ad", "decisions_au"} <= {t.name for t in
                                                             db["decisions"].triggers}


def test_import_through_a_scheduler_address_equals_a_plain_import(linked, tmp_path):
    distributed = pytest.importorskip("distributed")
    folder, reference = linked
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        result = CliRunner().invoke(cli, ["import", str(tmp_path / "s.db"), str(folder),
                                          "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert_same(tables(tmp_path / "s.db"), tables(reference))
