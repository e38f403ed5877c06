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


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=str))
@click.option("--mentions/--no-mentions", default=True, show_default=True,
              help="Include every entity mention with its span.")
def extract(path, mentions):
    """Print one document's record as JSON."""
    from .errors import ExtractionError
    from .pipeline import extract as run

    try:
        record = run(path)
    except ExtractionError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    data = record.model_dump(mode="json", exclude=None if mentions else {"mentions"})
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command(name="import")
@click.argument("db_path", type=click.Path(dir_okay=False, path_type=str))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--glob", "patterns", multiple=True,
              help="Only files whose name matches this pattern (repeatable), e.g. '*.pdf'.")
@click.option("--workers", type=int, default=None,
              help="Processes that extract in parallel (default: the number of cores).")
@click.option("--force", is_flag=True, help="Extract again even when nothing changed.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: when standard error is a terminal).")
def import_(db_path, paths, patterns, workers, force, progress):
    """Import minutes files and folders into a SQLite database."""
    from .batch import run_import

    summary = run_import(
        db_path, paths, patterns=patterns, workers=workers or os.cpu_count() or 1,
        force=force, progress=sys.stderr.isatty() if progress is None else progress,
    )
    sys.exit(1 if summary.failed else 0)


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
    """Score extraction against answer keys: precision, recall and F1 per field."""
    from .evaluate import evaluate_dir, format_table

    score = evaluate_dir(corpus_dir, gold_dir, verbose=verbose, scanned=scanned)
    click.echo(format_table(score, verbose=verbose) if verbose else format_table(score))


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("db_path", type=click.Path(dir_okay=False, exists=True, path_type=str))
@click.option("-h", "--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other machines connect.")
@click.option("-p", "--port", type=int, default=8001, show_default=True)
@click.argument("datasette_options", nargs=-1, type=click.UNPROCESSED)
def serve(db_path, host, port, datasette_options):
    """Browse a database in Datasette, read-only, with descriptions and canned queries.

    Further options go to `datasette serve` unchanged, e.g. --setting default_page_size 50.
    """
    from .serve import serve as run

    sys.exit(run(db_path, host=host, port=port, extra=datasette_options))
