"""``ldatlas``: a thin command line over the library. Each command opens the store, calls one function, and
turns library errors into a clear message and a non-zero exit code."""

from __future__ import annotations

import gc
import inspect
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import settings
from etl.errors import USER_ERRORS, AtlasError
from etl.texts import cli_language, plural, say, text, word
from indicators.formatting import format_number, format_percent, format_plain
from indicators.translation import Messages, said

#: ``ldatlas --help`` in the CLI's language: ``etl/locale/<lang>/LC_MESSAGES/help.po``, keyed by the English text.
HELP = Messages(Path(__file__).resolve().parent / "locale", "help")


def _h(english: str) -> str:
    """A help text in the CLI's language (the English as written here when it has no translation)."""
    return HELP.text(english, cli_language()) if HELP.has(english) else english


app = typer.Typer(
    help=_h("Local Development Atlas: load a city's data into a DuckDB store and explore it in the browser."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help=_h(
            "The store: a DuckDB file, or a DuckLake, e.g. 'ducklake:postgres:dbname=atlas host=db.example "
            "port=5432' (see docs/deploy.md)."
        ),
        show_default=True,
    ),
]
DEFAULT_DB = str(settings.default_db)


def _remember_data_path(value: str | None) -> str | None:
    if value:
        os.environ["LDATLAS_DATA_PATH"] = value  # read by etl.store.locate, also in the dashboard it starts
    return value


DataPathOption = Annotated[
    str | None,
    typer.Option(
        "--data-path",
        envvar="LDATLAS_DATA_PATH",
        callback=_remember_data_path,
        help=_h("Where a new DuckLake keeps its Parquet files (a shared folder); its catalog remembers it."),
    ),
]


def _lang() -> str:
    """The language the CLI speaks: ``LDATLAS_LANG``, else the system locale's, else English."""
    return cli_language()


def _t(key: str, /, **fields: object) -> str:
    """The CLI's text ``key`` in its language (``etl/locale``)."""
    return text(key, _lang(), **fields)


def _word(kind: str, value: str) -> str:
    """An enumeration's value (a source kind, an action) in the CLI's language, or as it came."""
    return said(word(kind, value), _lang())


def _n(value: float, decimals: int = 0) -> str:
    """A number as the CLI's language writes it."""
    return format_number(value, _lang(), decimals)


def _fail(message: object, code: int = 1) -> None:
    """``message`` (an error's phrase is said in the CLI's language) as one line on stderr, and exit ``code``."""
    err.print(f"[bold red]{_t('cli_error')}[/] {escape(said(message, _lang()))}", highlight=False)
    raise typer.Exit(code)


def _guard(fn):
    """Run ``fn``; show library errors as a message, not a traceback (LDATLAS_DEBUG=1 shows it)."""
    try:
        return fn()
    except USER_ERRORS as exc:
        _fail(exc)
    except KeyboardInterrupt:
        _fail(_t("cli_interrupted"), 130)
    except typer.Exit:
        raise
    except Exception as exc:
        if os.environ.get("LDATLAS_DEBUG"):
            raise
        _fail(_t("cli_unexpected", error=f"{type(exc).__name__}: {exc}"), 2)


def _percent(share: float) -> str:
    return format_percent(share * 100, _lang(), 0)


def _share(share: float | None) -> str:
    if share is None:
        return "–"
    shown = _percent(share)
    return f"[yellow]{shown}[/]" if share < 0.5 else shown


def _reading(db: str, fn):
    """``fn(con)`` on a read-only connection to the store, closed afterwards. A store made by an older Atlas gets
    the newer tables first (atomically, as ``ldatlas serve`` does)."""
    from etl import store

    store.ensure_store(db, create=False)
    con = store.connect(db, read_only=True)
    try:
        return fn(con)
    finally:
        con.close()


def _rate(source) -> str:  # noqa: ANN001  (a SourceResult)
    """``1 000 000 rows in 3.2 s, 312 500 rows/s``."""
    rate = _n(source.rows_per_second) if source.rows_per_second else "–"
    return _t("cli_rate", rows=_n(source.rows_read), seconds=_n(source.seconds, 1), rate=rate)


@app.command()
def load(
    workspace: Annotated[Path, typer.Argument(help=_h("The workspace file (TOML) listing the sources."))],
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    force: Annotated[bool, typer.Option(help=_h("Reload every source even if its file is unchanged."))] = False,
    tag: Annotated[
        str | None,
        typer.Option(
            help=_h("Name the data version this load makes, e.g. 'Raport o stanie gminy 2025' (see versions).")
        ),
    ] = None,
) -> None:
    """Bring the store up to date with a workspace: all or nothing, unchanged files are skipped."""
    from etl.pipeline.load import load_workspace, plan
    from etl.workspace import read_workspace

    # the libraries' objects live as long as this process: kept out of Python's garbage collections, which a load
    # of 100,000 units (a shapely object each) would otherwise run through them again and again (~0.5 s)
    gc.freeze()

    def run():
        ws = read_workspace(workspace)
        steps = sum(1 for a in plan(ws, db, force=force).values() if a != "unchanged") + 2
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[speed]}"),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task(_t("cli_loading"), total=steps, speed="")

            def step(message: str) -> None:
                progress.update(task, description=escape(said(message, _lang())), advance=1)

            def done(source) -> None:  # noqa: ANN001  (a SourceResult)
                progress.update(task, speed=escape(f"{source.source_id}: {_rate(source)}"))

            return load_workspace(ws, db, force=force, on_step=step, tag=tag, on_source=done)

    result = _guard(run)
    if not result.changed:
        console.print(_t("cli_up_to_date", store=escape(str(db))))
        return
    table = Table(title=escape(_t("cli_run_title", run=result.run_id, store=db)))
    speed = console.width >= 100  # rows/s only where the table still fits: an 80-column terminal keeps whole headings
    numeric = ("read", "loaded", "rejected", "skipped", "used", *(("rows_per_s",) if speed else ()))
    for column in ("source", "kind", "action", *numeric):
        table.add_column(_t(f"cli_col_{column}"), justify="right" if column in numeric else "left")
    for s in result.sources:
        rate = _n(s.rows_per_second) if s.rows_per_second else ""
        table.add_row(
            escape(s.source_id),
            escape(_word("cli_kind", s.kind)),
            _word("cli_action", s.action),
            _n(s.rows_read),
            _n(s.rows_loaded),
            f"[red]{_n(s.rows_rejected)}[/]" if s.rows_rejected else "0",
            _n(s.rows_skipped),
            _share(s.used_share),
            *((rate,) if speed else ()),
        )
    console.print(table)
    for s in result.sources:
        if s.action == "loaded" and s.used_share is not None and s.used_share < 0.5:
            console.print(
                f"[yellow]{_t('cli_low_use', share=_percent(s.used_share), source=escape(s.source_id))}[/] "
                + _t("cli_low_use_hint", store=escape(str(db)), source=escape(s.source_id))
            )
    if result.rejected:
        console.print(
            f"[yellow]{escape(plural('cli_rejected', result.rejected, _lang(), n=_n(result.rejected)))}[/] "
            + _t("cli_rejected_hint", store=escape(str(db)))
        )


@app.command()
def info(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=_h("Print the counts as JSON."))] = False,
) -> None:
    """Count what is in the store: units per level, indicators, observations, proposals, areas, rejects."""
    from etl import store
    from etl.store.info import store_counts, workspace_meta
    from etl.store.rejects import names_in
    from etl.store.user_file import user_path

    counts, meta, level_name = _guard(
        lambda: _reading(db, lambda con: (store_counts(con), workspace_meta(con), names_in(con, _lang())["level"]))
    )
    if as_json:
        print(json.dumps(counts))
        return
    console.print(
        f"[bold]{escape(str(meta.get('name', db)))}[/]"
        + (f"  [yellow]({_t('cli_synthetic')})[/]" if meta.get("synthetic") == "true" else "")
    )
    for level, n in counts["units"].items():
        console.print(f"  {_t('cli_units_of', level=escape(level_name(str(level))))}: {_n(n)}")
    for key in ("indicators", "observations", "proposals", "areas", "rejects", "saved_groups", "saved_areas"):
        console.print(f"  {_t('cli_count_' + key)}: {_n(counts[key])}")
    where = store.locate(db)
    if not where.is_lake and user_path(where.path).exists():
        console.print(f"  {_t('cli_user_file', path=escape(str(user_path(where.path))))}")


@app.command()
def rejects(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    source: Annotated[str | None, typer.Option(help=_h("Only this source id."))] = None,
    limit: Annotated[int, typer.Option(help=_h("Show at most this many (0 = all)."))] = 50,
    csv: Annotated[Path | None, typer.Option(help=_h("Write all of them to this CSV file (; separated)."))] = None,
    lang: Annotated[
        str | None, typer.Option(help=_h("The reasons' language: pl, en or lt (default: the CLI's, see LDATLAS_LANG)."))
    ] = None,
) -> None:
    """List the rows that could not be used: file, row, column and reason."""
    from etl.store.rejects import list_rejects, reasons_in

    lang = lang or _lang()
    if lang not in ("pl", "en", "lt"):
        _fail(_t("cli_bad_lang", value=lang))

    def read(con):
        found = list_rejects(con, source_id=source, limit=None if csv else (limit or None))
        return found.assign(reason=reasons_in(con, found, lang)).drop(columns=["reason_key", "reason_args"])

    frame = _guard(lambda: _reading(db, read))
    if csv:
        headings = {  # the reader's words; the English file keeps the column names it always had
            name: name if lang == "en" else text(f"cli_rejects_{key}", lang)
            for name, key in (
                ("source_id", "source"),
                ("file", "file"),
                ("row_number", "row"),
                ("column_name", "column"),
                ("reason", "reason"),
                ("raw", "raw"),
            )
        }
        frame.rename(columns=headings).to_csv(csv, sep=";", index=False, encoding="utf-8-sig")
        console.print(plural("cli_rejects_written", len(frame), lang, n=_n(len(frame)), file=escape(str(csv))))
        return
    if frame.empty:
        console.print(text("cli_no_rejects", lang))
        return
    table = Table()
    for column in ("source", "file", "row", "column", "reason"):
        table.add_column(text(f"cli_rejects_{column}", lang))
    for row in frame.itertuples():
        table.add_row(
            escape(str(row.source_id)),
            escape(str(row.file)),
            "" if row.row_number is None else str(row.row_number),
            escape(str(row.column_name or "")),
            escape(str(row.reason)),
        )
    console.print(table)


@app.command()
def history(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    limit: Annotated[int, typer.Option(help=_h("Show at most this many, newest first."))] = 50,
) -> None:
    """Who saved, replaced, deleted or restored which programme area or comparison group, and when."""
    import pandas as pd

    from etl.store.user_content import history as audit_rows

    rows = _guard(lambda: _reading(db, lambda con: audit_rows(con, limit)))
    if rows.empty:
        console.print(_t("cli_nothing_saved"))
        return
    table = Table()
    for column in ("when", "who", "action", "kind", "id", "version"):
        table.add_column(_t(f"cli_history_{column}"))
    for row in rows.itertuples():
        number = "" if pd.isna(row.version) else str(int(row.version))
        table.add_row(
            str(row.happened_at)[:19],
            escape(row.who),
            _word("cli_saved", row.action),
            _word("cli_object", row.object_kind),
            escape(row.object_id),
            number,
        )
    console.print(table)


@app.command()
def report(
    unit: Annotated[str, typer.Option("--unit", help=_h("The unit's code (e.g. a TERYT code)."))],
    out: Annotated[Path, typer.Option("--out", help=_h("The file to write: profile.pdf, or profile.html (one page)."))],
    group: Annotated[
        str | None, typer.Option(help=_h("The comparison group, as on the Compare page: all, saved:ID, area:ID, ..."))
    ] = None,
    year: Annotated[int | None, typer.Option(help=_h("The year (default: the latest with data)."))] = None,
    lang: Annotated[str | None, typer.Option(help=_h("pl, en or lt (default: the CLI's, see LDATLAS_LANG)."))] = None,
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
) -> None:
    """A unit's development profile as a PDF a council can print: scores, ranks, strengths and weaknesses,
    every indicator against its group, residents' proposals, method and sources."""
    from etl.report import unit_report

    lang = lang or _lang()
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "html"):
        _fail(_t("cli_report_kind", file=out.name))
    from etl import store

    # a store made by an older Atlas gets the newer tables first (atomic); a missing one is not created
    _guard(lambda: store.ensure_store(db, create=False))
    body = _guard(lambda: unit_report(db, unit, group=group, year=year, lang=lang, fmt=kind))
    out.write_bytes(body)
    console.print(_t("cli_wrote_file", file=escape(str(out)), size=_n(len(body) / 1000)), highlight=False)


@app.command()
def versions(db: DbOption = DEFAULT_DB, data_path: DataPathOption = None) -> None:
    """The data versions kept, with what each changed: DuckLake snapshots (a link can pin one with
    ``as_of=NUMBER`` or a tag), or the run history of a file store."""
    from etl.store.versions import NEEDS_LAKE, list_versions

    found, snapshots = _guard(lambda: list_versions(db))
    table = Table(title=escape(_t("cli_versions_title", store=_shown(db))))
    columns = ("version" if snapshots else "run", "time_utc" if snapshots else "time", "tag", "what", "by", "loaded")
    for column in columns:
        table.add_column(_t(f"cli_versions_{column}"))
    for v in found:
        loaded = ", ".join(f"{escape(s)} ({_n(n)})" for s, n in v.sources[:3])
        if len(v.sources) > 3:
            loaded += " " + _t("cli_and_more", n=len(v.sources) - 3)
        mark = f" ({_t('cli_current')})" if v.current else ""
        what = Path(v.what).name if v.what.endswith(".toml") else v.what
        table.add_row(f"{v.number}{mark}", v.time, escape(v.tag), escape(what), escape(v.author), loaded)
    console.print(table)
    if not snapshots:
        console.print(said(NEEDS_LAKE, _lang()), highlight=False)


@app.command()
def maintain(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    keep_days: Annotated[
        float, typer.Option(help=_h("Keep every snapshot younger than this many days (tagged ones are always kept)."))
    ] = 30.0,
) -> None:
    """DuckLake upkeep: merge small files, expire old untagged snapshots, delete files nothing needs."""
    from etl.store.versions import maintain as run_maintenance

    done = _guard(lambda: run_maintenance(db, keep_days))
    console.print(
        _t(
            "cli_maintained",
            expired=len(done.expired),
            days=format_plain(keep_days, _lang()),
            tagged=len(done.kept_tagged),
            files=done.files_removed,
        ),
        highlight=False,
    )


@app.command("migrate-store")
def migrate_store(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    to: Annotated[
        str, typer.Option("--to", help=_h("The empty store to fill: a file, or a DuckLake (ducklake:…)."))
    ] = "",
    to_data_path: Annotated[
        str | None, typer.Option("--to-data-path", help=_h("Where a new DuckLake target keeps its files."))
    ] = None,
) -> None:
    """Copy a whole store, user content and history included, into an empty store: file → DuckLake or back."""
    from etl import store
    from etl.store.versions import migrate_store as copy_store

    if not to:
        _fail(_t("cli_migrate_to"))
    target = store.locate(to, to_data_path)
    copied = _guard(lambda: copy_store(db, target))
    console.print(
        _t(
            "cli_migrated",
            rows=_n(sum(copied.values())),
            tables=len(copied),
            source=escape(_shown(db)),
            target=escape(str(target)),
        ),
        highlight=False,
    )


def _shown(db: str) -> str:
    from etl import store

    return str(store.locate(db))


@app.command()
def restore(
    kind: Annotated[str, typer.Argument(help=_h("area or group"))],
    object_id: Annotated[
        str, typer.Argument(metavar="ID", help=_h("The area's or group's id (see `ldatlas history`)."))
    ],
    version: Annotated[int, typer.Option("--version", help=_h("The version to bring back."))],
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
) -> None:
    """Bring back an earlier version of a saved programme area or comparison group (as a new version)."""
    from etl.store.areas import restore_area
    from etl.store.groups import restore_group

    if kind not in ("area", "group"):
        _fail(_t("cli_restore_kind"))
    restorer = restore_area if kind == "area" else restore_group
    number = _guard(lambda: restorer(db, object_id, version, who="ldatlas restore"))
    console.print(_t(f"cli_restored_{kind}", version=version, id=escape(object_id), number=number))


fetch_app = typer.Typer(
    help=_h("Fetch public data into the store: GUS BDL indicators, GISCO and PRG boundaries."), no_args_is_help=True
)
search_app = typer.Typer(help=_h("Search public data catalogues (GUS BDL variables)."), no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")
app.add_typer(search_app, name="search")

BaseUrlOption = Annotated[str, typer.Option("--base-url", help=_h("The BDL API (a mirror or a test server)."))]
CacheOption = Annotated[Path, typer.Option("--cache", help=_h("Folder for cached API answers (kept for a day)."))]


def _bdl_client(base_url: str, cache: Path):
    from etl.connectors.bdl import BdlClient

    return BdlClient(base_url=base_url, cache_dir=cache)


def _fetch_summary(summary, db: str, columns: tuple[str, str], rejected_what: str) -> None:
    """What a fetch run loaded: one row per source (its indicator or level, rows read, loaded, rejected)."""
    table = Table(title=escape(_t("cli_run_title", run=summary.run_id, store=db)))
    for column in ("source", *columns, "loaded", "rejected"):
        table.add_column(_t(f"cli_fetch_{column}"))
    for source_id, second, counts in summary.sources:
        table.add_row(
            escape(str(source_id)),
            escape(str(second)),
            _n(counts["rows_read"]),
            _n(counts["rows_loaded"]),
            f"[red]{_n(counts['rows_rejected'])}[/]" if counts["rows_rejected"] else "0",
        )
    console.print(table)
    if summary.rejected:
        console.print(
            f"[yellow]{escape(plural(rejected_what, summary.rejected, _lang(), n=_n(summary.rejected)))}[/] "
            + _t("cli_see_rejects", store=escape(str(db)))
        )


@fetch_app.command("bdl")
def fetch_bdl(
    var: Annotated[str, typer.Option("--var", help=_h("BDL variable id(s), comma separated, e.g. 72305,60559."))],
    level: Annotated[str, typer.Option(help=_h("gmina, powiat or voivodeship."))] = "gmina",
    parent: Annotated[
        str | None,
        typer.Option(
            help=_h("Only units inside this TERYT voivodeship/powiat (e.g. 02 or 0264) or 12-digit BDL unit id.")
        ),
    ] = None,
    years: Annotated[str | None, typer.Option(help=_h("Years, e.g. 2010-2024 or 2019,2021 (default: all)."))] = None,
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    base_url: BaseUrlOption = "https://bdl.stat.gov.pl/api/v1",
    cache: CacheOption = Path(".ldatlas-cache/bdl"),
) -> None:
    """Load GUS BDL variables into the store: values as observations, variables into the catalogue.

    Anonymous by default; set BDL_CLIENT_ID to send your X-ClientId key (10 instead of 5 requests a second).
    """
    from etl.pipeline.bdl import BdlRequest, parse_variables, parse_years
    from etl.pipeline.bdl import fetch_bdl as run_fetch

    def run():
        request = BdlRequest(parse_variables(var), level, parent, parse_years(years))
        client = _bdl_client(base_url, cache)
        try:
            with Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
            ) as progress:
                task = progress.add_task("GUS BDL", total=None)
                return run_fetch(
                    db, request, client, on_step=lambda m: progress.update(task, description=escape(said(m, _lang())))
                )
        finally:
            client.close()

    _fetch_summary(_guard(run), db, ("indicator", "values"), "cli_rejected_units_values")


@search_app.command("bdl")
def search_bdl(
    text: Annotated[str, typer.Argument(help=_h("Words from the variable's name, e.g. 'ludność'."))],
    lang: Annotated[str, typer.Option(help=_h("pl or en."))] = "pl",
    base_url: BaseUrlOption = "https://bdl.stat.gov.pl/api/v1",
    cache: CacheOption = Path(".ldatlas-cache/bdl"),
) -> None:
    """Find GUS BDL variables by name: id, name, level and unit of measure."""
    from etl.pipeline.bdl import search_bdl as run_search

    def run():
        client = _bdl_client(base_url, cache)
        try:
            return run_search(client, text, lang)
        finally:
            client.close()

    rows = _guard(run)
    if not rows:
        console.print(_t("cli_no_bdl_match", text=escape(text)))
        return
    table = Table()
    for column in ("id", "name", "level", "unit"):
        table.add_column(_t(f"cli_bdl_{column}"))
    for row in rows:
        table.add_row(str(row["id"]), escape(str(row["name"])), str(row["level"]), escape(str(row["unit"])))
    console.print(table)


def _fetching(what: str, fetch):
    """Run ``fetch(on_step, on_progress)`` under a progress bar (bytes while downloading, then the steps)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[size]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(escape(what), total=None, size="")

        def on_progress(done: int, total: int | None) -> None:
            size = _n(done / 1e6, 1) + (f" / {_n(total / 1e6, 1)} MB" if total else " MB")
            progress.update(task, completed=done, total=total, size=size)

        def on_step(message: str) -> None:
            progress.update(task, description=escape(said(message, _lang())), total=None, size="")

        return fetch(on_step, on_progress)


@fetch_app.command("gisco")
def fetch_gisco(
    country: Annotated[
        str, typer.Option(help=_h("Country code(s) as GISCO writes them, comma separated: PL, LT, ..."))
    ],
    level: Annotated[str, typer.Option(help=_h("lau, nuts0, nuts1, nuts2 or nuts3."))] = "lau",
    year: Annotated[
        int, typer.Option(help=_h("Edition of the boundaries, e.g. 2021 (LAU) or 2021/2024 (NUTS)."))
    ] = 2021,
    resolution: Annotated[str, typer.Option(help=_h("01M, 03M, 10M, 20M or 60M (LAU: 01M only)."))] = "01M",
    as_level: Annotated[
        str | None,
        typer.Option(
            "--as-level",
            help=_h(
                "Level the units get in the store (default: gmina for Polish LAU, lau elsewhere; "
                "country for nuts0; nuts1..nuts3)."
            ),
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help=_h("GISCO's distribution service (or a mirror)."))
    ] = "https://gisco-services.ec.europa.eu/distribution/v2",
    cache: Annotated[Path, typer.Option("--cache", help=_h("Folder for downloaded files."))] = Path(
        ".ldatlas-cache/gisco"
    ),
    refresh: Annotated[bool, typer.Option(help=_h("Download again even if the file is in the cache."))] = False,
    sha256: Annotated[
        str | None, typer.Option(help=_h("The file's published SHA-256: a download that differs is discarded."))
    ] = None,
) -> None:
    """Load Eurostat GISCO boundaries (LAU or NUTS) of one or more countries as units.

    LAU_ID (TERYT for Poland) or NUTS_ID becomes the unit code; GISCO_ID is kept as another identifier, and the
    LAU population fields become the indicators gisco_population and gisco_population_density.
    """
    from etl.connectors.gisco import GiscoRequest
    from etl.pipeline.fetched import fetch_gisco as run_fetch

    def run():
        request = GiscoRequest(country.split(","), level, year, resolution, as_level)
        return _fetching(
            "GISCO",
            lambda step, prog: run_fetch(
                db,
                request,
                base_url=base_url,
                cache_dir=cache,
                refresh=refresh,
                sha256=sha256,
                on_step=step,
                on_progress=prog,
            ),
        )

    _fetch_summary(_guard(run), db, ("level", "features"), "cli_rejected_units")


@fetch_app.command("prg")
def fetch_prg(
    source: Annotated[
        str, typer.Argument(help=_h("The PRG zip: a path, or a URL to download (default: GUGiK's)."))
    ] = "https://opendata.geoportal.gov.pl/prg/granice/00_jednostki_administracyjne.zip",
    levels: Annotated[
        str, typer.Option(help=_h("Which levels to load, comma separated."))
    ] = "voivodeship,powiat,gmina",
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    cache: Annotated[Path, typer.Option("--cache", help=_h("Folder for downloaded files."))] = Path(
        ".ldatlas-cache/prg"
    ),
    refresh: Annotated[bool, typer.Option(help=_h("Download again even if the file is in the cache."))] = False,
    sha256: Annotated[
        str | None, typer.Option(help=_h("The file's published SHA-256: a download that differs is discarded."))
    ] = None,
) -> None:
    """Load GUGiK's official PRG boundaries: voivodeships, powiaty and gminy with their TERYT codes.

    Reads the shapefiles in the zip (EPSG:2180, WINDOWS-1250 attributes); JPT_KOD_JE is the code, JPT_NAZWA_ the
    name, and each unit's parent is found from its TERYT code.
    """
    from etl.pipeline.fetched import fetch_prg as run_fetch

    def run():
        wanted = [lv.strip() for lv in levels.split(",") if lv.strip()]
        return _fetching(
            "PRG",
            lambda step, prog: run_fetch(
                db,
                source,
                levels=wanted,
                cache_dir=cache,
                refresh=refresh,
                sha256=sha256,
                on_step=step,
                on_progress=prog,
            ),
        )

    _fetch_summary(_guard(run), db, ("level", "features"), "cli_rejected_units")


check_app = typer.Typer(
    help=_h("Check a selection of units against a rule profile (exit 0: rules hold, 1: not)."), no_args_is_help=True
)
app.add_typer(check_app, name="check")
UnitsOption = Annotated[str, typer.Option("--units", help=_h("Unit codes, comma separated (e.g. 0201011,0201022)."))]
YearOption = Annotated[
    int | None, typer.Option(help=_h("Year of the population (default: the latest with data for all the units)."))
]


def _check(
    kind: str, units: str, year: int | None, profile: str | None, population: str, db: str, as_json: bool
) -> None:
    from etl.store.info import workspace_meta
    from indicators.rules import check, load_profile

    def run(con):
        rules = load_profile(profile, kind, workspace_meta(con).get("path"))
        return check(con, units.split(","), rules, year, population=population)

    try:
        verdict = _reading(db, run)
    except USER_ERRORS as exc:
        _fail(exc, 2)
    if as_json:
        print(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2))
    else:
        s, lang = verdict.selection, _lang()
        console.print(
            f"[bold]{escape(verdict.profile.name(lang))}[/] ({escape(verdict.profile.id)}), {s.year}: "
            + escape(
                _t(
                    "cli_selection",
                    units=plural("cli_units", len(s.codes), lang, n=len(s.codes)),
                    population=_n(s.population or 0),
                    area=_n(s.area_km2, 2),
                )
            )
            + (escape(_t("cli_in_whole", whole=s.whole_name, code=s.whole_code)) if s.whole_code else ""),
            highlight=False,
        )
        table = Table()
        table.add_column(_t("cli_check_verdict"))
        for r in verdict.results:  # each verdict starts with its rule's label
            table.add_row(("[green]✓[/] " if r.ok else "[red]✗[/] ") + escape(r.message(lang)))
        console.print(table)
        console.print(_t("cli_legal_source", source=escape(verdict.profile.legal_source)), highlight=False)
        console.print(f"[green]{_t('cli_rules_hold')}[/]" if verdict.ok else f"[red]{_t('cli_rules_fail')}[/]")
    raise typer.Exit(0 if verdict.ok else 1)


@check_app.command("lsr")
def check_lsr(
    units: UnitsOption,
    year: YearOption = None,
    profile: Annotated[
        str | None, typer.Option(help=_h("Rule profile id or TOML path (default: rlks-2014-2020)."))
    ] = None,
    population: Annotated[str, typer.Option(help=_h("The population indicator."))] = "population",
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=_h("Print the verdict as JSON."))] = False,
) -> None:
    """Check an LSR area (its member units): total population within the profile's limits, one coherent area."""
    _check("lsr", units, year, profile, population, db, as_json)


@check_app.command("revitalisation")
def check_revitalisation(
    units: UnitsOption,
    year: YearOption = None,
    profile: Annotated[
        str | None, typer.Option(help=_h("Rule profile id or TOML path (default: rewitalizacja-2015)."))
    ] = None,
    population: Annotated[str, typer.Option(help=_h("The population indicator."))] = "population",
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=_h("Print the verdict as JSON."))] = False,
) -> None:
    """Check a revitalisation area (units of one gmina) against art. 10(2): at most 20% of the gmina's area and
    30% of its residents."""
    _check("revitalisation", units, year, profile, population, db, as_json)


export_app = typer.Typer(help=_h("Export what the Atlas computes, for use outside the app."), no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("index")
def export_index(
    level: Annotated[str, typer.Option(help=_h("The level of the units, e.g. gmina or urban_unit."))],
    year: Annotated[int, typer.Option(help=_h("The year of the index."))],
    out: Annotated[Path, typer.Option(help=_h("The CSV file to write (; separated, decimal comma)."))],
    group: Annotated[
        str | None,
        typer.Option(
            help=_h(
                "Comparison group: all, type:urban|rural|urban_rural, "
                "county_cities, size:CLASS, area:ID, list:CODE,CODE."
            )
        ),
    ] = None,
    method: Annotated[str, typer.Option(help=_h("Normalisation: minmax, zscore or percentile."))] = "minmax",
    max_missing: Annotated[
        float, typer.Option(help=_h("A unit missing more than this share of the indicators gets no score."))
    ] = 0.25,
    outliers: Annotated[
        bool,
        typer.Option(
            "--outliers", help=_h("Treat outliers by the COINr rule; the changed values go to OUT's .treated.csv.")
        ),
    ] = False,
    span: Annotated[
        int | None,
        typer.Option(
            help=_h("Also the rank and quartile this many years earlier, and how many places each unit moved.")
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
) -> None:
    """Write the composite development index: unit code, name, each domain score, the overall score and rank."""
    from indicators.composite import IndexSpec, composite_index, group_members, quartiles

    def compute(con):
        codes = group_members(con, level, group, year=year)
        if not codes:
            raise AtlasError(say("cli_no_group_units", level=level, group=group or "all"))
        spec = IndexSpec(method=method, max_missing_share=max_missing, outliers=outliers)
        result = composite_index(con, codes, year, spec)
        before = composite_index(con, codes, year - span, spec) if span else None
        return result, before, dict(con.execute("SELECT code, name FROM units WHERE level = ?", [level]).fetchall())

    def run():
        result, before, names = _reading(db, compute)
        table = result.scores.assign(name=result.scores["code"].map(names), quartile=quartiles(result.scores["rank"]))
        moved = []
        if before is not None:
            then = before.scores.set_index("code")["rank"]
            earlier = year - (span or 0)
            table[f"rank_{earlier}"] = table["code"].map(then).astype("Int64")
            table[f"quartile_{earlier}"] = quartiles(table[f"rank_{earlier}"])
            table["places_up"] = (table[f"rank_{earlier}"] - table["rank"]).astype("Int64")
            moved = [f"rank_{earlier}", f"quartile_{earlier}", "places_up"]
        table = table[["code", "name", *result.domains, "overall", "rank", "quartile", *moved, "missing_share", "note"]]
        table = table.sort_values(["rank", "code"], na_position="last")
        table[[*result.domains, "overall"]] = table[[*result.domains, "overall"]].round(4)
        table["missing_share"] = table["missing_share"].round(3)
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, sep=";", decimal=",", index=False, encoding="utf-8-sig")
        if outliers:  # every value the rule changed, beside the index
            result.treated.to_csv(
                out.with_suffix(".treated.csv"), sep=";", decimal=",", index=False, encoding="utf-8-sig"
            )
        return table

    table = _guard(run)
    scored = int(table["overall"].notna().sum())
    domains = ", ".join(c for c in table.columns[2 : list(table.columns).index("overall")])
    console.print(
        escape(_t("cli_index_written", file=out, units=len(table), scored=scored, domains=domains)), highlight=False
    )


def _serve(db: str, port: int, host: str = "127.0.0.1", public: bool = False, secrets_file: Path | None = None) -> None:
    """Run the Streamlit dashboard on ``db`` until interrupted."""
    from etl import store

    _guard(lambda: store.connect(db, read_only=True).close())
    _guard(lambda: store.ensure_store(db))  # a store made by an older Atlas gets the newer tables first (atomic)
    store.tidy(db)  # copies left by a killed load
    app_file = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    env = dict(os.environ, LDATLAS_DB=store.locate(db).target)
    if public:
        env["LDATLAS_PUBLIC"] = "1"  # the dashboard shows, never writes
    command = [
        # Streamlit's command line, after the pages' libraries are imported (the first visitor does not wait)
        sys.executable,
        "-m",
        "dashboard.server",
        "run",
        str(app_file),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        # display geometry is served once from dashboard/static (see dashboard/geometry.py)
        "--server.enableStaticServing",
        "true",
        "--client.toolbarMode",
        "viewer",
        # the Atlas's colours are chosen for a light page (contrast checked): a dark OS does not switch them
        "--theme.base",
        "light",
    ]
    if secrets_file is not None:  # sign-in ([auth]) and roles ([atlas.roles]): README "Running it for your office"
        if not Path(secrets_file).is_file():
            _fail(_t("cli_no_secrets", file=secrets_file))
        command += ["--secrets.files", str(Path(secrets_file).absolute())]
    everywhere = host in ("0.0.0.0", "::", "")
    where = f"http://{_t('cli_this_machine') if everywhere else host}:{port}"
    reach = _t("cli_everywhere") if everywhere else _t("cli_this_address")
    console.print(
        _t(
            "cli_serving",
            where=f"[bold]{escape(where)}[/]",
            reach=reach + (_t("cli_public") if public else ""),
            store=escape(str(db)),
        )
    )
    sys.stdout.flush()
    # become the Streamlit server, so that stopping this process stops the dashboard (no orphan server)
    os.execve(sys.executable, command, env)


HostOption = Annotated[
    str,
    typer.Option(
        "--host",
        help=_h(
            "Address to listen on: 127.0.0.1 (this machine only, the default), an address of this machine, "
            "or 0.0.0.0 for every interface."
        ),
    ),
]
SecretsOption = Annotated[
    Path | None,
    typer.Option(
        "--secrets",
        help=_h(
            "A secrets.toml with [auth] (OpenID Connect sign-in) and [atlas.roles]; default: Streamlit's "
            ".streamlit/secrets.toml."
        ),
    ),
]
PublicOption = Annotated[
    bool, typer.Option("--public", help=_h("A public, read-only dashboard: no page can save or change anything."))
]


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    port: Annotated[int, typer.Option(help=_h("Port to serve on."))] = 8501,
    host: HostOption = "127.0.0.1",
    public: PublicOption = False,
    secrets: SecretsOption = None,
) -> None:
    """Start the dashboard on an existing store."""
    _serve(db, port, host, public, secrets)


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help=_h("The store to build the demo into."))] = "demo.duckdb",
    no_serve: Annotated[bool, typer.Option("--no-serve", help=_h("Build the store only."))] = False,
    port: Annotated[int, typer.Option(help=_h("Port to serve on."))] = 8501,
    host: HostOption = "127.0.0.1",
) -> None:
    """Build the built-in demo workspace (synthetic data) into a store and start the dashboard on it."""
    from etl.tools.demo import demo_workspace_path

    load(demo_workspace_path(), db=db, data_path=None, force=False)
    if not no_serve:
        _serve(db, port, host)


def _translate_command_help(group: typer.Typer) -> None:
    """Each command's help (its docstring) in the CLI's language, also in the sub-commands (fetch, check, ...)."""
    for command in group.registered_commands:
        if command.callback is not None and not command.help:
            command.help = _h(inspect.getdoc(command.callback) or "")
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _translate_command_help(sub.typer_instance)


_translate_command_help(app)


if __name__ == "__main__":
    app()
