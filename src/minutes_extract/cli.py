"""Command line: a thin layer over the library modules."""

from __future__ import annotations

import json
import os
import sys

import click

from . import __version__


@click.group()
@click.version_option(__version__, prog_name="minutes-extract")
def cli():
    """Turn Swedish meeting minutes into structured records in SQLite."""


def _fail(message: str, status: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--mentions/--no-mentions", default=True, show_default=True,
              help="Include every entity mention with its span.")
def extract(paths, mentions):
    """Print each document's record as one line of JSON (JSON Lines).

    A file that cannot be read gives one line on standard error, and the others go on;
    the exit status is 1 when any file failed. What the extraction found doubtful in a
    record (its warnings) is also written to standard error, a line each.

    \b
    Example:
      minutes-extract extract ks-2019-01-29.pdf ks-2019-02-26.md > records.jsonl
    """
    from .batch import extract as run
    from .paths import shown

    failed = False
    for path in paths:
        outcome = run(path)  # every failure, whatever raised it, is a one-line reason
        if outcome.error is not None:
            click.echo(f"error: {shown(path)}: {outcome.error}", err=True)
            failed = True
            continue
        data = outcome.record.model_dump(mode="json",
                                         exclude=None if mentions else {"mentions"})
        click.echo(json.dumps(data, ensure_ascii=False))
        for w in outcome.record.warnings:
            where = f" (item {w.item})" if w.item else ""
            click.echo(f"warning: {shown(path)}{where}: {w.message}", err=True)
    sys.exit(1 if failed else 0)


@cli.command(name="import")
@click.argument("db_path", type=click.Path(path_type=str))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option("--glob", "patterns", multiple=True,
              help="Only files whose name matches this pattern (repeatable), e.g. '*.pdf'.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that extract in parallel (default: the number of cores).")
@click.option("--force", is_flag=True, help="Extract again even when nothing changed.")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links that lead out of the folders given.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: when standard error is a terminal).")
@click.option("-q", "--quiet", is_flag=True,
              help="Only the lines of files that failed for the first time.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a summary as JSON on standard output at the end.")
@click.option("--shard", metavar="K/N", default=None,
              help="Only shard K of N of the files (about every N-th, dealt by content); "
                   "combine the shards' databases with `merge`.")
@click.option("--bulk/--no-bulk", default=None,
              help="Build the search indexes and link persons once at the end (default: when "
                   "the run brings at least 500 documents and at least as many as the "
                   "database holds).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True,
              help="Where files are extracted: worker processes of this machine, or a Dask "
                   "cluster (a local one of --workers processes unless --scheduler is given).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="The Dask scheduler to use, e.g. tcp://10.0.0.5:8786 (implies "
                   "--executor dask; files and database on a file system all workers share).")
def import_(db_path, paths, patterns, workers, force, follow_links, progress, quiet, as_json,
            shard, bulk, executor, scheduler):
    """Import minutes files and folders into a SQLite database.

    Files already imported are skipped unless they changed; files that failed before are
    counted, not read again (`minutes-extract errors DB` lists them). Exit status: 0 when
    nothing failed for the first time, 1 when a file failed for the first time or the
    database could not be written, 2 for a usage error.

    \b
    Example:
      minutes-extract import minutes.db archive/ --glob '*.pdf'
    """
    from .batch import NoFiles, parse_shard, run_import
    from .store import DatabaseError

    try:
        part = parse_shard(shard) if shard else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    try:
        summary = run_import(
            db_path, paths, patterns=patterns, workers=workers or os.cpu_count() or 1,
            force=force, progress=sys.stderr.isatty() if progress is None else progress,
            quiet=quiet, follow_links=follow_links, shard=part, bulk=bulk,
            executor="dask" if scheduler else executor, scheduler=scheduler,
        )
    except (DatabaseError, NoFiles) as exc:
        _fail(str(exc), 2)
    except KeyboardInterrupt:  # before the first file: nothing was done
        _fail("interrupted", 130)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
    if summary.interrupted:
        sys.exit(130)
    sys.exit(summary.exit_status)


@cli.command()
@click.argument("db_path", type=click.Path(dir_okay=False, path_type=str))
@click.argument("shards", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=str))
def merge(db_path, shards):
    """Combine the databases of `import --shard K/N` runs into one.

    Documents already in DB_PATH are kept; persons are linked anew across all the minutes
    and the search indexes built once, so the result is what one import of all the files
    gives.

    \b
    Example:
      minutes-extract import shard1.db archive/ --shard 1/2
      minutes-extract import shard2.db archive/ --shard 2/2
      minutes-extract merge minutes.db shard1.db shard2.db
    """
    from .merge import merge as run
    from .store import DatabaseError, open_db

    try:
        db = open_db(db_path)
        summary = run(db, shards)
        db.close()
    except DatabaseError as exc:
        _fail(str(exc), 2)
    click.echo(summary.line(), err=True)


@cli.command()
@click.argument("db_path", type=click.Path(path_type=str))
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; the exit status tells.")
@click.option("--json", "as_json", is_flag=True, help="The failures as JSON on standard output.")
def errors(db_path, quiet, as_json):
    """List the files an import could not read, with the reason.

    One line per file, `path: reason`. A failure marked "(read again next import)" was not
    decided by the file's bytes (time, memory, a file that could not be opened); the others
    are not read again until the file or the pipeline changes. Exit status 0 when there are
    none, 1 when there are some.

    \b
    Example:
      minutes-extract errors minutes.db --json
    """
    from . import store

    try:
        db = store.open_existing(db_path)
        rows = store.errors(db)
    except store.DatabaseError as exc:
        _fail(str(exc), 2)
    if as_json:
        click.echo(json.dumps({
            "count": len(rows),
            "errors": [{"path": r["path"], "file_name": r["file_name"], "reason": r["reason"],
                        "sha256": r["sha256"], "read_again": r["sha256"] is None,
                        "at": r["at"]} for r in rows],
        }, ensure_ascii=False))
    elif not quiet:
        for r in rows:
            again = " (read again next import)" if r["sha256"] is None else ""
            click.echo(f"{r['path']}: {r['reason']}{again}")
        click.echo(f"{len(rows)} failed file{'s' if len(rows) != 1 else ''}", err=True)
    sys.exit(1 if rows else 0)


@cli.command()
@click.argument("corpus_dir", type=click.Path(file_okay=False, exists=True, path_type=str))
@click.option("--gold", "gold_dir", required=True,
              type=click.Path(file_okay=False, exists=True, path_type=str),
              help="Folder of answer keys (*.json).")
@click.option("-v", "--verbose", is_flag=True,
              help="Also show one row per document and what each got wrong.")
@click.option("--scanned/--no-scanned", default=True, show_default=True,
              help="Score the keys of scanned documents (those with a page transcript) too.")
def evaluate(corpus_dir, gold_dir, verbose, scanned):
    """Score extraction against answer keys: precision, recall and F1 per field.

    \b
    Example:
      minutes-extract evaluate corpus/ --gold corpus/gold/
    """
    from .evaluate import evaluate_dir, format_table

    score = evaluate_dir(corpus_dir, gold_dir, verbose=verbose, scanned=scanned)
    click.echo(format_table(score, verbose=verbose) if verbose else format_table(score))


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("db_path", type=click.Path(dir_okay=False, exists=True, path_type=str))
@click.option("-h", "--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other machines connect.")
@click.option("-p", "--port", type=int, default=8001, show_default=True)
@click.option("--immutable", is_flag=True,
              help="Serve a file that no longer changes (publishing): faster, but an import "
                   "into it while served breaks the server.")
@click.argument("datasette_options", nargs=-1, type=click.UNPROCESSED)
def serve(db_path, host, port, immutable, datasette_options):
    """Browse a database in Datasette, read-only, with descriptions and canned queries.

    The database stays open to imports while it is served. Further options go to
    `datasette serve` unchanged, e.g. --setting default_page_size 50.

    \b
    Example:
        minutes-extract serve minutes.db --port 8001
    """
    from .serve import serve as run

    sys.exit(run(db_path, host=host, port=port, immutable=immutable,
                 extra=datasette_options))


@cli.command()
@click.argument("db_path", type=click.Path(dir_okay=False, exists=True, path_type=str))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              show_default=True, help="File to write the metadata JSON to.")
def metadata(db_path, output):
    """Write Datasette's metadata for a database: for `datasette publish --metadata`.

    Titles, descriptions, licence, facets and canned queries, for the database under the
    name Datasette gives it (its file name without extension). The canned queries need the
    package's plugin where the database is published (`--install`).

    \b
    Example:
        minutes-extract metadata minutes.db -o metadata.json
        datasette publish cloudrun minutes.db --metadata metadata.json --install minutes-extract
    """
    from .serve import database_name
    from .serve import metadata as build

    json.dump(build(database_name(db_path)), output, ensure_ascii=False, indent=2)
    output.write("\n")
