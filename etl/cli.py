"""``ldatlas``: a thin command line over the library. Each command opens the store, calls one function, and
turns library errors into a clear message and a non-zero exit code."""

from __future__ import annotations

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
from indicators.formatting import format_number

app = typer.Typer(
    help="Local Development Atlas: load a city's data into a DuckDB store and explore it in the browser.",
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
        help="The store: a DuckDB file, or a DuckLake, e.g. 'ducklake:postgres:dbname=atlas host=db.example "
        "port=5432' (see docs/deploy.md).",
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
        help="Where a new DuckLake keeps its Parquet files (a shared folder); its catalog remembers it.",
    ),
]


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]Error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _guard(fn):
    """Run ``fn``; show library errors as a message, not a traceback (LDATLAS_DEBUG=1 shows it)."""
    try:
        return fn()
    except USER_ERRORS as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("Interrupted. The store is as it was before this command.", 130)
    except typer.Exit:
        raise
    except Exception as exc:
        if os.environ.get("LDATLAS_DEBUG"):
            raise
        _fail(
            f"Unexpected {type(exc).__name__}: {exc}. The store is as it was before this command. "
            "Run again with LDATLAS_DEBUG=1 for details, and report it with that output.",
            2,
        )


def _share(share: float | None) -> str:
    if share is None:
        return "–"
    text = f"{share:.0%}"
    return f"[yellow]{text}[/]" if share < 0.5 else text


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
    rows = f"{source.rows_read:,}".replace(",", " ")
    rate = f"{source.rows_per_second:,.0f}".replace(",", " ") if source.rows_per_second else "–"
    return f"{rows} rows in {source.seconds:.1f} s, {rate} rows/s"


@app.command()
def load(
    workspace: Annotated[Path, typer.Argument(help="The workspace file (TOML) listing the sources.")],
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    force: Annotated[bool, typer.Option(help="Reload every source even if its file is unchanged.")] = False,
    tag: Annotated[
        str | None,
        typer.Option(help="Name the data version this load makes, e.g. 'Raport o stanie gminy 2025' (see versions)."),
    ] = None,
) -> None:
    """Bring the store up to date with a workspace: all or nothing, unchanged files are skipped."""
    from etl.pipeline.load import load_workspace, plan
    from etl.workspace import read_workspace

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
            task = progress.add_task("Loading", total=steps, speed="")

            def step(message: str) -> None:
                progress.update(task, description=escape(message), advance=1)

            def done(source) -> None:  # noqa: ANN001  (a SourceResult)
                progress.update(task, speed=escape(f"{source.source_id}: {_rate(source)}"))

            return load_workspace(ws, db, force=force, on_step=step, tag=tag, on_source=done)

    result = _guard(run)
    if not result.changed:
        console.print(f"Store {escape(str(db))} is up to date: no source changed.")
        return
    table = Table(title=escape(f"Run {result.run_id} → {db}"))
    speed = console.width >= 100  # rows/s only where the table still fits: an 80-column terminal keeps whole headings
    numeric = ("read", "loaded", "rejected", "skipped", "used", *(("rows/s",) if speed else ()))
    for column in ("source", "kind", "action", *numeric):
        table.add_column(column, justify="right" if column in numeric else "left")
    for s in result.sources:
        rate = f"{s.rows_per_second:,.0f}".replace(",", " ") if s.rows_per_second else ""
        table.add_row(
            escape(s.source_id),
            escape(s.kind),
            s.action,
            str(s.rows_read),
            str(s.rows_loaded),
            f"[red]{s.rows_rejected}[/]" if s.rows_rejected else "0",
            str(s.rows_skipped),
            _share(s.used_share),
            *((rate,) if speed else ()),
        )
    console.print(table)
    for s in result.sources:
        if s.action == "loaded" and s.used_share is not None and s.used_share < 0.5:
            console.print(
                f"[yellow]Only {s.used_share:.0%} of what '{escape(s.source_id)}' holds could be used.[/] Check its "
                f"codes and settings: `ldatlas rejects --db {escape(str(db))} --source {escape(s.source_id)}`."
            )
    if result.rejected:
        console.print(
            f"[yellow]{result.rejected} value(s) rejected.[/] List them with "
            f"`ldatlas rejects --db {escape(str(db))}` (add --source ID to narrow, --csv FILE to save)."
        )


@app.command()
def info(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Count what is in the store: units per level, indicators, observations, proposals, areas, rejects."""
    from etl.store.info import store_counts, workspace_meta

    counts, meta = _guard(lambda: _reading(db, lambda con: (store_counts(con), workspace_meta(con))))
    if as_json:
        print(json.dumps(counts))
        return
    console.print(
        f"[bold]{escape(str(meta.get('name', db)))}[/]"
        + ("  [yellow](synthetic demo data)[/]" if meta.get("synthetic") == "true" else "")
    )
    for level, n in counts["units"].items():
        console.print(f"  units · {escape(str(level))}: {n}")
    for key in ("indicators", "observations", "proposals", "areas", "rejects"):
        console.print(f"  {key}: {counts[key]}")


@app.command()
def rejects(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source id.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (0 = all).")] = 50,
    csv: Annotated[Path | None, typer.Option(help="Write all of them to this CSV file (; separated).")] = None,
    lang: Annotated[str, typer.Option(help="The reasons' language: pl, en or lt.")] = "en",
) -> None:
    """List the rows that could not be used: file, row, column and reason."""
    from etl.store.rejects import list_rejects, reasons_in

    if lang not in ("pl", "en", "lt"):
        _fail(f"--lang must be pl, en or lt, not {lang!r}.")

    def read(con):
        found = list_rejects(con, source_id=source, limit=None if csv else (limit or None))
        return found.assign(reason=reasons_in(con, found, lang)).drop(columns=["reason_key", "reason_args"])

    frame = _guard(lambda: _reading(db, read))
    if csv:
        frame.to_csv(csv, sep=";", index=False, encoding="utf-8-sig")
        console.print(f"{len(frame)} reject(s) written to {escape(str(csv))}")
        return
    if frame.empty:
        console.print("No rejects.")
        return
    table = Table()
    for column in ("source_id", "file", "row_number", "column_name", "reason"):
        table.add_column(column)
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
    limit: Annotated[int, typer.Option(help="Show at most this many, newest first.")] = 50,
) -> None:
    """Who saved, replaced, deleted or restored which programme area or comparison group, and when."""
    import pandas as pd

    from etl.store.user_content import history as audit_rows

    rows = _guard(lambda: _reading(db, lambda con: audit_rows(con, limit)))
    if rows.empty:
        console.print("Nothing saved from the dashboard yet.")
        return
    table = Table()
    for column in ("when", "who", "action", "kind", "id", "version"):
        table.add_column(column)
    for row in rows.itertuples():
        number = "" if pd.isna(row.version) else str(int(row.version))
        table.add_row(
            str(row.happened_at)[:19], escape(row.who), row.action, row.object_kind, escape(row.object_id), number
        )
    console.print(table)


@app.command()
def report(
    unit: Annotated[str, typer.Option("--unit", help="The unit's code (e.g. a TERYT code).")],
    out: Annotated[Path, typer.Option("--out", help="The file to write: profile.pdf, or profile.html (one page).")],
    group: Annotated[
        str | None, typer.Option(help="The comparison group, as on the Compare page: all, saved:ID, area:ID, ...")
    ] = None,
    year: Annotated[int | None, typer.Option(help="The year (default: the latest with data).")] = None,
    lang: Annotated[str, typer.Option(help="pl, en or lt.")] = "pl",
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
) -> None:
    """A unit's development profile as a PDF a council can print: scores, ranks, strengths and weaknesses,
    every indicator against its group, residents' proposals, method and sources."""
    from etl.report import unit_report

    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "html"):
        _fail(f"The report is written as PDF or HTML: give --out a file ending in .pdf or .html, not '{out.name}'.")
    from etl import store

    # a store made by an older Atlas gets the newer tables first (atomic); a missing one is not created
    _guard(lambda: store.ensure_store(db, create=False))
    body = _guard(lambda: unit_report(db, unit, group=group, year=year, lang=lang, fmt=kind))
    out.write_bytes(body)
    console.print(f"Wrote {escape(str(out))} ({len(body) / 1000:.0f} KB).", highlight=False)


@app.command()
def versions(db: DbOption = DEFAULT_DB, data_path: DataPathOption = None) -> None:
    """The data versions kept, with what each changed: DuckLake snapshots (a link can pin one with
    ``as_of=NUMBER`` or a tag), or the run history of a file store."""
    from etl.store.versions import NEEDS_LAKE, list_versions

    found, snapshots = _guard(lambda: list_versions(db))
    table = Table(title=escape(f"Data versions of {_shown(db)}"))
    for column in ("version" if snapshots else "run", "time (UTC)" if snapshots else "time", "tag", "what", "by"):
        table.add_column(column)
    table.add_column("sources loaded (rows)")
    for v in found:
        loaded = ", ".join(f"{escape(s)} ({format_number(n, 'en', 0)})" for s, n in v.sources[:3])
        if len(v.sources) > 3:
            loaded += f" and {len(v.sources) - 3} more"
        mark = " (current)" if v.current else ""
        what = Path(v.what).name if v.what.endswith(".toml") else v.what
        table.add_row(f"{v.number}{mark}", v.time, escape(v.tag), escape(what), escape(v.author), loaded)
    console.print(table)
    if not snapshots:
        console.print(NEEDS_LAKE, highlight=False)


@app.command()
def maintain(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    keep_days: Annotated[
        float, typer.Option(help="Keep every snapshot younger than this many days (tagged ones are always kept).")
    ] = 30.0,
) -> None:
    """DuckLake upkeep: merge small files, expire old untagged snapshots, delete files nothing needs."""
    from etl.store.versions import maintain as run_maintenance

    done = _guard(lambda: run_maintenance(db, keep_days))
    console.print(
        f"Expired {len(done.expired)} snapshot(s) older than {keep_days:g} days; kept {len(done.kept_tagged)} "
        f"tagged one(s); removed {done.files_removed} file(s) no snapshot needs.",
        highlight=False,
    )


@app.command("migrate-store")
def migrate_store(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    to: Annotated[str, typer.Option("--to", help="The empty store to fill: a file, or a DuckLake (ducklake:…).")] = "",
    to_data_path: Annotated[
        str | None, typer.Option("--to-data-path", help="Where a new DuckLake target keeps its files.")
    ] = None,
) -> None:
    """Copy a whole store, user content and history included, into an empty store: file → DuckLake or back."""
    from etl import store
    from etl.store.versions import migrate_store as copy_store

    if not to:
        _fail("Say where to copy the store with --to (a file path, or ducklake:postgres:…).")
    target = store.locate(to, to_data_path)
    copied = _guard(lambda: copy_store(db, target))
    console.print(
        f"Copied {sum(copied.values())} rows in {len(copied)} tables from {escape(_shown(db))} to "
        f"{escape(str(target))}.",
        highlight=False,
    )


def _shown(db: str) -> str:
    from etl import store

    return str(store.locate(db))


@app.command()
def restore(
    kind: Annotated[str, typer.Argument(help="area or group")],
    object_id: Annotated[str, typer.Argument(metavar="ID", help="The area's or group's id (see `ldatlas history`).")],
    version: Annotated[int, typer.Option("--version", help="The version to bring back.")],
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
) -> None:
    """Bring back an earlier version of a saved programme area or comparison group (as a new version)."""
    from etl.store.areas import restore_area
    from etl.store.groups import restore_group

    if kind not in ("area", "group"):
        _fail("KIND is `area` or `group`.")
    restorer = restore_area if kind == "area" else restore_group
    number = _guard(lambda: restorer(db, object_id, version, who="ldatlas restore"))
    console.print(f"Restored version {version} of the {kind} '{escape(object_id)}' as version {number}.")


fetch_app = typer.Typer(
    help="Fetch public data into the store: GUS BDL indicators, GISCO and PRG boundaries.", no_args_is_help=True
)
search_app = typer.Typer(help="Search public data catalogues (GUS BDL variables).", no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")
app.add_typer(search_app, name="search")

BaseUrlOption = Annotated[str, typer.Option("--base-url", help="The BDL API (a mirror or a test server).")]
CacheOption = Annotated[Path, typer.Option("--cache", help="Folder for cached API answers (kept for a day).")]


def _bdl_client(base_url: str, cache: Path):
    from etl.connectors.bdl import BdlClient

    return BdlClient(base_url=base_url, cache_dir=cache)


def _fetch_summary(summary, db: str, columns: tuple[str, str], rejected_what: str) -> None:
    """What a fetch run loaded: one row per source (its indicator or level, rows read, loaded, rejected)."""
    table = Table(title=escape(f"Run {summary.run_id} → {db}"))
    for column in ("source", *columns, "loaded", "rejected"):
        table.add_column(column)
    for source_id, second, counts in summary.sources:
        table.add_row(
            escape(str(source_id)),
            escape(str(second)),
            str(counts["rows_read"]),
            str(counts["rows_loaded"]),
            f"[red]{counts['rows_rejected']}[/]" if counts["rows_rejected"] else "0",
        )
    console.print(table)
    if summary.rejected:
        console.print(
            f"[yellow]{summary.rejected} {rejected_what} rejected.[/] See `ldatlas rejects --db {escape(str(db))}`."
        )


@fetch_app.command("bdl")
def fetch_bdl(
    var: Annotated[str, typer.Option("--var", help="BDL variable id(s), comma separated, e.g. 72305,60559.")],
    level: Annotated[str, typer.Option(help="gmina, powiat or voivodeship.")] = "gmina",
    parent: Annotated[
        str | None,
        typer.Option(help="Only units inside this TERYT voivodeship/powiat (e.g. 02 or 0264) or 12-digit BDL unit id."),
    ] = None,
    years: Annotated[str | None, typer.Option(help="Years, e.g. 2010-2024 or 2019,2021 (default: all).")] = None,
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
                return run_fetch(db, request, client, on_step=lambda m: progress.update(task, description=escape(m)))
        finally:
            client.close()

    _fetch_summary(_guard(run), db, ("indicator", "values"), "unit(s) or value(s)")


@search_app.command("bdl")
def search_bdl(
    text: Annotated[str, typer.Argument(help="Words from the variable's name, e.g. 'ludność'.")],
    lang: Annotated[str, typer.Option(help="pl or en.")] = "pl",
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
        console.print(f"No BDL variable matches '{escape(text)}'.")
        return
    table = Table()
    for column in ("id", "name", "level", "unit"):
        table.add_column(column)
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
            size = format_number(done / 1e6, "en") + (f" / {format_number(total / 1e6, 'en')} MB" if total else " MB")
            progress.update(task, completed=done, total=total, size=size)

        def on_step(message: str) -> None:
            progress.update(task, description=escape(message), total=None, size="")

        return fetch(on_step, on_progress)


@fetch_app.command("gisco")
def fetch_gisco(
    country: Annotated[str, typer.Option(help="Country code(s) as GISCO writes them, comma separated: PL, LT, ...")],
    level: Annotated[str, typer.Option(help="lau, nuts0, nuts1, nuts2 or nuts3.")] = "lau",
    year: Annotated[int, typer.Option(help="Edition of the boundaries, e.g. 2021 (LAU) or 2021/2024 (NUTS).")] = 2021,
    resolution: Annotated[str, typer.Option(help="01M, 03M, 10M, 20M or 60M (LAU: 01M only).")] = "01M",
    as_level: Annotated[
        str | None,
        typer.Option(
            "--as-level",
            help="Level the units get in the store (default: gmina for Polish LAU, lau elsewhere; "
            "country for nuts0; nuts1..nuts3).",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help="GISCO's distribution service (or a mirror).")
    ] = "https://gisco-services.ec.europa.eu/distribution/v2",
    cache: Annotated[Path, typer.Option("--cache", help="Folder for downloaded files.")] = Path(".ldatlas-cache/gisco"),
    refresh: Annotated[bool, typer.Option(help="Download again even if the file is in the cache.")] = False,
    sha256: Annotated[
        str | None, typer.Option(help="The file's published SHA-256: a download that differs is discarded.")
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

    _fetch_summary(_guard(run), db, ("level", "features"), "unit(s)")


@fetch_app.command("prg")
def fetch_prg(
    source: Annotated[
        str, typer.Argument(help="The PRG zip: a path, or a URL to download (default: GUGiK's).")
    ] = "https://opendata.geoportal.gov.pl/prg/granice/00_jednostki_administracyjne.zip",
    levels: Annotated[str, typer.Option(help="Which levels to load, comma separated.")] = "voivodeship,powiat,gmina",
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    cache: Annotated[Path, typer.Option("--cache", help="Folder for downloaded files.")] = Path(".ldatlas-cache/prg"),
    refresh: Annotated[bool, typer.Option(help="Download again even if the file is in the cache.")] = False,
    sha256: Annotated[
        str | None, typer.Option(help="The file's published SHA-256: a download that differs is discarded.")
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

    _fetch_summary(_guard(run), db, ("level", "features"), "unit(s)")


check_app = typer.Typer(
    help="Check a selection of units against a rule profile (exit 0: rules hold, 1: not).", no_args_is_help=True
)
app.add_typer(check_app, name="check")
UnitsOption = Annotated[str, typer.Option("--units", help="Unit codes, comma separated (e.g. 0201011,0201022).")]
YearOption = Annotated[
    int | None, typer.Option(help="Year of the population (default: the latest with data for all the units).")
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
        _fail(str(exc), 2)
    if as_json:
        print(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2))
    else:
        s = verdict.selection
        console.print(
            f"[bold]{escape(verdict.profile.name_en)}[/] ({escape(verdict.profile.id)}), {s.year}: "
            f"{len(s.codes)} units, "
            f"population {format_number(s.population or 0, 'en', 0)}, "
            f"area {format_number(s.area_km2, 'en', 2)} km²"
            + (f", in {escape(str(s.whole_name))} ({s.whole_code})" if s.whole_code else ""),
            highlight=False,
        )
        table = Table()
        for column in ("rule", "verdict"):
            table.add_column(column)
        for r in verdict.results:
            table.add_row(escape(r.rule.id), ("[green]✓[/] " if r.ok else "[red]✗[/] ") + escape(r.message_en))
        console.print(table)
        console.print(f"Legal source: {escape(verdict.profile.legal_source)}", highlight=False)
        console.print("[green]The rules hold.[/]" if verdict.ok else "[red]The rules do not hold.[/]")
    raise typer.Exit(0 if verdict.ok else 1)


@check_app.command("lsr")
def check_lsr(
    units: UnitsOption,
    year: YearOption = None,
    profile: Annotated[str | None, typer.Option(help="Rule profile id or TOML path (default: rlks-2014-2020).")] = None,
    population: Annotated[str, typer.Option(help="The population indicator.")] = "population",
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
) -> None:
    """Check an LSR area (its member units): total population within the profile's limits, one coherent area."""
    _check("lsr", units, year, profile, population, db, as_json)


@check_app.command("revitalisation")
def check_revitalisation(
    units: UnitsOption,
    year: YearOption = None,
    profile: Annotated[
        str | None, typer.Option(help="Rule profile id or TOML path (default: rewitalizacja-2015).")
    ] = None,
    population: Annotated[str, typer.Option(help="The population indicator.")] = "population",
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
) -> None:
    """Check a revitalisation area (units of one gmina) against art. 10(2): at most 20% of the gmina's area and
    30% of its residents."""
    _check("revitalisation", units, year, profile, population, db, as_json)


export_app = typer.Typer(help="Export what the Atlas computes, for use outside the app.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("index")
def export_index(
    level: Annotated[str, typer.Option(help="The level of the units, e.g. gmina or urban_unit.")],
    year: Annotated[int, typer.Option(help="The year of the index.")],
    out: Annotated[Path, typer.Option(help="The CSV file to write (; separated, decimal comma).")],
    group: Annotated[
        str | None,
        typer.Option(
            help="Comparison group: all, type:urban|rural|urban_rural, "
            "county_cities, size:CLASS, area:ID, list:CODE,CODE."
        ),
    ] = None,
    method: Annotated[str, typer.Option(help="Normalisation: minmax, zscore or percentile.")] = "minmax",
    max_missing: Annotated[
        float, typer.Option(help="A unit missing more than this share of the indicators gets no score.")
    ] = 0.25,
    outliers: Annotated[
        bool,
        typer.Option(
            "--outliers", help="Treat outliers by the COINr rule; the changed values go to OUT's .treated.csv."
        ),
    ] = False,
    span: Annotated[
        int | None,
        typer.Option(help="Also the rank and quartile this many years earlier, and how many places each unit moved."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
) -> None:
    """Write the composite development index: unit code, name, each domain score, the overall score and rank."""
    from indicators.composite import IndexSpec, composite_index, group_members, quartiles

    def compute(con):
        codes = group_members(con, level, group, year=year)
        if not codes:
            raise AtlasError(f"No {level} units in group '{group or 'all'}'.")
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
    console.print(
        escape(
            f"Wrote {out}: {len(table)} units ({scored} with a score), domains "
            f"{', '.join(c for c in table.columns[2 : list(table.columns).index('overall')])}."
        ),
        highlight=False,
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
            _fail(f"No secrets file {secrets_file}.")
        command += ["--secrets.files", str(Path(secrets_file).absolute())]
    everywhere = host in ("0.0.0.0", "::", "")
    where = f"http://{'<this machine>' if everywhere else host}:{port}"
    reach = "every network interface: anyone who can reach this machine" if everywhere else "this address only"
    console.print(
        f"Atlas on [bold]{escape(where)}[/] — listening on {reach}"
        f"{'; public: read-only' if public else ''} (store {escape(str(db))}). Ctrl+C stops it."
    )
    sys.stdout.flush()
    # become the Streamlit server, so that stopping this process stops the dashboard (no orphan server)
    os.execve(sys.executable, command, env)


HostOption = Annotated[
    str,
    typer.Option(
        "--host",
        help="Address to listen on: 127.0.0.1 (this machine only, the default), an address of this machine, "
        "or 0.0.0.0 for every interface.",
    ),
]
SecretsOption = Annotated[
    Path | None,
    typer.Option(
        "--secrets",
        help="A secrets.toml with [auth] (OpenID Connect sign-in) and [atlas.roles]; default: Streamlit's "
        ".streamlit/secrets.toml.",
    ),
]
PublicOption = Annotated[
    bool, typer.Option("--public", help="A public, read-only dashboard: no page can save or change anything.")
]


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    data_path: DataPathOption = None,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    host: HostOption = "127.0.0.1",
    public: PublicOption = False,
    secrets: SecretsOption = None,
) -> None:
    """Start the dashboard on an existing store."""
    _serve(db, port, host, public, secrets)


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="The store to build the demo into.")] = "demo.duckdb",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the store only.")] = False,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    host: HostOption = "127.0.0.1",
) -> None:
    """Build the built-in demo workspace (synthetic data) into a store and start the dashboard on it."""
    from etl.tools.demo import demo_workspace_path

    load(demo_workspace_path(), db=db, data_path=None, force=False)
    if not no_serve:
        _serve(db, port, host)


if __name__ == "__main__":
    app()
