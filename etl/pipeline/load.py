"""One run of ``ldatlas load``: bring the store up to date with a workspace, all or nothing."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import store
from etl.errors import SourceError
from etl.pipeline.bdl import load_bdl_source
from etl.sources.areas import load_area
from etl.sources.boundaries import (
    assign_parents,
    level_geometries,
    load_boundaries,
    read_source,
    source_levels,
    write_display,
)
from etl.sources.crosswalks import Crosswalks
from etl.sources.observations import load_table
from etl.sources.proposals import load_proposals
from etl.sources.typologies import load_typology
from etl.store import tiles
from etl.store.lake import is_lake
from etl.store.levels import merge_levels
from etl.store.rejects import Rejects
from etl.store.runs import META_SOURCE, insert_frame, run
from etl.texts import say, word
from etl.workspace import Source, Workspace
from geodata.errors import GeodataError
from geodata.simplify import display_wkb
from indicators.aggregate import compute_aggregates
from indicators.derived import compute_derived
from indicators.translation import Phrase, as_raised


@dataclass
class SourceResult:
    source_id: str
    kind: str
    action: str  # 'loaded' | 'unchanged' | 'removed'
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    seconds: float = 0.0  # how long the source took to read, check and write

    @property
    def rows_per_second(self) -> float | None:
        """Rows read a second, for the progress bar and the summary; None for a source not loaded."""
        return self.rows_read / self.seconds if self.seconds > 0 and self.rows_read else None

    @property
    def used_share(self) -> float | None:
        """Share of the values (rows, features) read that were loaded, of those not skipped; None before any."""
        tried = self.rows_loaded + self.rows_rejected
        return self.rows_loaded / tried if tried else None


@dataclass
class RunResult:
    run_id: int | None
    sources: list[SourceResult] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.run_id is not None

    @property
    def rejected(self) -> int:
        return sum(s.rows_rejected for s in self.sources if s.action == "loaded")


def _stored_checksums(db: store.Store) -> dict[str, str]:
    if not store.exists(db):
        return {}
    con = store.connect(db, read_only=True, spatial=False)
    try:
        if store.pending_migrations(con):
            return {}
        # sources fetched on the command line (kind 'fetch:...') or saved in the dashboard ('app:...') are not
        # the workspace's to remove
        return dict(
            con.execute(
                "SELECT source_id, checksum FROM sources WHERE kind NOT LIKE 'fetch:%' AND kind NOT LIKE 'app:%'"
            ).fetchall()
        )
    finally:
        con.close()


def plan(workspace: Workspace, db: store.Store | Path | str, *, force: bool = False) -> dict[str, str]:
    """What a run would do with each source: 'load', 'unchanged' or 'remove'."""
    stored = {} if force else _stored_checksums(store.locate(db))
    actions = {META_SOURCE: "unchanged" if stored.get(META_SOURCE) == workspace.meta_checksum() else "load"}
    units_change = False
    for src in workspace.sources:
        if src.kind == "boundaries":
            actions[src.id] = "unchanged" if stored.get(src.id) == src.checksum() else "load"
            units_change |= actions[src.id] == "load"
    for old in stored:
        if old != META_SOURCE and old not in {s.id for s in workspace.sources}:
            actions[old] = "remove"
            units_change = True
    for src in workspace.sources:
        if src.kind != "boundaries":
            changed = stored.get(src.id) != src.checksum()
            # tables, proposals and areas depend on the units (and the catalogue, the goals)
            actions[src.id] = "load" if changed or units_change or actions[META_SOURCE] == "load" else "unchanged"
    return actions


def _write_meta(con: duckdb.DuckDBPyConnection, workspace: Workspace) -> None:
    con.execute("DELETE FROM workspace")
    meta = {
        "name": workspace.name,
        "language": workspace.language,
        "synthetic": str(workspace.synthetic).lower(),
        "description": workspace.description,
        "path": str(workspace.path),
        "basemap_url": workspace.basemap_url,
        "basemap_attribution": workspace.basemap_attribution,
    }
    con.executemany("INSERT INTO workspace VALUES (?, ?)", list(meta.items()))
    # levels of units fetched on the command line (GISCO, PRG) stay, placed among the workspace's own
    fetched = [
        lv
        for (lv,) in con.execute(
            "SELECT DISTINCT level FROM units WHERE source_id IN (SELECT source_id FROM sources "
            "WHERE kind LIKE 'fetch:%')"
        ).fetchall()
        if lv not in {w.id for w in workspace.levels}
    ]
    fetched_names = {
        lv: (pl, en, lt or en)
        for lv, pl, en, lt in con.execute("SELECT level, name_pl, name_en, name_lt FROM levels").fetchall()
        if lv in fetched
    }
    con.execute("DELETE FROM levels")
    con.executemany(
        "INSERT INTO levels (level, rank, name_pl, name_en, name_lt) VALUES (?, ?, ?, ?, ?)",
        [(lv.id, lv.rank, lv.name_pl, lv.name_en, lv.name_lt) for lv in workspace.levels],
    )
    if fetched:
        merge_levels(con, sorted(fetched), fetched_names)
    con.execute("DELETE FROM goals")
    if workspace.goals:
        con.executemany(
            "INSERT INTO goals (code, parent_code, name_pl, name_en, name_lt) VALUES (?, ?, ?, ?, ?)",
            [(g.code, g.parent_code, g.name_pl, g.name_en, g.name_lt) for g in workspace.goals],
        )
    con.execute("DELETE FROM indicators WHERE source_id = ?", [META_SOURCE])
    if workspace.indicators:
        # the workspace's entry replaces one a connector wrote (e.g. to set a BDL variable's domain)
        con.execute(
            ("DELETE FROM indicators WHERE id IN (SELECT unnest(?::VARCHAR[]))"), [[i.id for i in workspace.indicators]]
        )
        frame = pd.DataFrame([i.row(META_SOURCE) for i in workspace.indicators])
        columns = [
            "id",
            "name_pl",
            "name_en",
            "name_lt",
            "unit",
            "domain",
            "direction",
            "source",
            "licence",
            "description",
            "min_value",
            "max_value",
            "derivation",
            "aggregate",
            "aggregate_weight",
            "target_low",
            "target_high",
            "source_id",
        ]
        insert_frame(con, "indicators", frame, columns, select=", ".join(columns))


def nothing_loaded(src: Source, counts: dict[str, int], rejects: Rejects) -> Phrase:
    """The message for a source that yielded nothing: what was read, why it was rejected, what to do."""
    reasons = list(dict.fromkeys(r[5] for r in rejects.rows if r[1] == src.id))[:3]
    first = [r if isinstance(r, Phrase) else str(r)[:160] for r in reasons]
    return say(
        "err_nothing_loaded",
        source=src.id,
        file=src.path.name if src.path else "—",
        read=counts["rows_read"],
        rejected=counts["rows_rejected"],
        skipped=counts["rows_skipped"],
        reasons=say("err_first_reasons", reasons=first) if first else "",
    )


def _sole_source_of_level(con: duckdb.DuckDBPyConnection, workspace: Workspace, src: Source) -> bool:
    """True when ``src`` alone makes its level: its display coverage can start from its own geometries."""
    level = src.opt("level")
    if any(s.id != src.id and s.kind == "boundaries" and s.opt("level") == level for s in workspace.sources):
        return False
    return not store.scalar(con, "SELECT count(*) FROM units WHERE level = ? AND source_id <> ?", [level, src.id])


#: A boundary file of this size or more starts the loading of DuckDB's spatial extension beside the run's beginning: it
#: may hold a layer of :data:`etl.sources.staging.IN_DUCKDB_AT` features, worked on in DuckDB (20,000 synthetic
#: units made a GeoPackage of 5.3 MB, a shapefile of 4.2 MB).
SPATIAL_BESIDE_FROM_BYTES = 4_000_000


@contextmanager
def _spatial_beside(con: duckdb.DuckDBPyConnection, boundaries: list[Source]) -> Iterator[Callable[[], None]]:
    """Load DuckDB's spatial extension by a second connection to the store while the run opens its record and the
    file is read — ~0.2 s of DuckDB checking the extension's signature, which a large boundary layer would otherwise
    wait for — when a boundary file to load is large enough to need it. Yields a function that waits until it is
    loaded (before the first boundary source: no statement of the run's own connection meets the loading); a
    failure there is left to the source's own loading, which reports it."""
    if not any(_size(s.file) >= SPATIAL_BESIDE_FROM_BYTES for s in boundaries):
        yield lambda: None
        return
    beside = con.cursor()
    with ThreadPoolExecutor(max_workers=1) as thread:
        job = thread.submit(store.load_spatial, beside)

        def loaded() -> None:
            wait([job])

        try:
            yield loaded
        finally:
            loaded()
            beside.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _threads(con: duckdb.DuckDBPyConnection, busy: list[Future]) -> None:
    """DuckDB gets every core, or one while the background still reads a file or simplifies a display coverage."""
    con.execute(f"SET threads = {1 if any(not job.done() for job in busy) else os.cpu_count() or 1}")


def _check_one_unit_per_code(con: duckdb.DuckDBPyConnection) -> None:
    """The store holds one unit per code (the boundary loader refuses a second; no key enforces it)."""
    twice = con.execute(
        "SELECT code, string_agg(DISTINCT source_id, ', ' ORDER BY source_id) FROM units "
        "GROUP BY code HAVING count(*) > 1 ORDER BY code LIMIT 1"
    ).fetchone()
    if twice:
        raise SourceError(say("err_two_units", code=twice[0], sources=twice[1]))


def _check_one_value_per_key(con: duckdb.DuckDBPyConnection) -> None:
    """The store holds one value per unit, indicator and year (the loaders refuse a second; no key enforces it)."""
    twice = con.execute(  # grouped by one hash of the key (fast), then the key itself among the few that share one
        "WITH keyed AS (SELECT hash(unit_code, indicator_id, year) AS h, unit_code, indicator_id, year "
        "FROM observations), shared AS (SELECT h FROM keyed GROUP BY h HAVING count(*) > 1) "
        "SELECT unit_code, indicator_id, year FROM keyed WHERE h IN (SELECT h FROM shared) "
        "GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if twice:
        unit, indicator, year = twice
        found = con.execute(
            "SELECT string_agg(DISTINCT source_id, ', ') FROM observations "
            "WHERE unit_code = ? AND indicator_id = ? AND year = ?",
            list(twice),
        ).fetchone()
        sources = found[0] if found else ""
        raise SourceError(say("err_two_values", unit=unit, indicator=indicator, year=year, sources=sources))


def load_workspace(
    workspace: Workspace,
    db: store.Store | Path | str,
    *,
    force: bool = False,
    on_step: Callable[[str], None] | None = None,
    tag: str | None = None,
    on_source: Callable[[SourceResult], None] | None = None,
) -> RunResult:
    """Bring the store at ``db`` up to date with ``workspace``; ``tag`` names the resulting data version;
    ``on_step`` hears each step as it starts and ``on_source`` each source's result (rows, seconds) as it ends.

    Unchanged sources are left alone (and when nothing changed the file is not touched at all); a changed
    source replaces its own rows. Everything happens in one run on a copy of the store that replaces the live
    file only when the whole run succeeded.
    """
    where = store.locate(db)
    actions = plan(workspace, where, force=force)
    step = on_step or (lambda _msg: None)
    store.tidy(where)  # also when there is nothing to do: a killed run's copy does not stay on disk
    if all(a == "unchanged" for a in actions.values()) and store.exists(where) and not tag:
        return RunResult(None, [SourceResult(s.id, s.kind, "unchanged") for s in workspace.sources])

    pool = ThreadPoolExecutor(max_workers=1)  # display coverages are simplified here while the run goes on
    try:
        return _run(workspace, where, actions, pool, step, tag, on_source or (lambda _r: None))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run(
    workspace: Workspace,
    db: store.Store,
    actions: dict[str, str],
    pool: ThreadPoolExecutor,
    step: Callable[[str], None],
    tag: str | None,
    on_source: Callable[[SourceResult], None],
) -> RunResult:
    # boundary files are read in the background, one ahead, while the store is opened and the previous
    # source is loaded (GDAL releases the GIL)
    to_read = [s for s in workspace.sources if s.kind == "boundaries" and actions[s.id] == "load"]
    reads: dict[str, Future] = {s.id: pool.submit(read_source, s) for s in to_read[:1]}
    with (
        store.writing(db) as con,
        _spatial_beside(con, to_read) as spatial_loaded,
        run(con, str(workspace.path), tag=tag) as current,
    ):
        # one DuckDB thread: the other core reads files and simplifies display coverages meanwhile
        con.execute("SET threads = 1")
        # DuckDB's share of a run's memory: sorts and checks of tens of millions of values spill to disk beyond it,
        # so that a load stays within 2 GB with the loader's own arrays
        con.execute("SET memory_limit = '1GB'")
        run_id, rejects = current.run_id, current.rejects
        crosswalks = Crosswalks(workspace.crosswalks)
        result = RunResult(run_id)
        if actions[META_SOURCE] == "load":
            step(say("step_workspace"))
            _write_meta(con, workspace)
            current.record(
                META_SOURCE,
                "workspace",
                str(workspace.path),
                workspace.meta_checksum(),
                {
                    "rows_read": len(workspace.indicators),
                    "rows_loaded": len(workspace.indicators),
                    "rows_rejected": 0,
                    "rows_skipped": 0,
                },
            )
        removed_levels: set[str] = set()
        for old, action in actions.items():
            if action == "remove":
                step(say("step_removing", source=old))
                removed_levels |= source_levels(con, old)
                for table in (
                    "units",
                    "unit_ids",
                    "observations",
                    "indicators",
                    "proposals",
                    "areas",
                    "typologies",
                    "unit_classes",
                ):
                    con.execute(f"DELETE FROM {table} WHERE source_id = ?", [old])
                con.execute("DELETE FROM area_members WHERE area_id NOT IN (SELECT id FROM areas)")
                con.execute("DELETE FROM sources WHERE source_id = ?", [old])
                current.record_action(old, "removed")
                result.sources.append(SourceResult(old, "?", "removed"))

        touched_levels: set[str] = set()
        loaded: list[Source] = []
        display_jobs: dict[str, tuple[list[str], Future]] = {}
        later: dict[str, tuple[list[str], list[bytes]]] = {}  # display coverages to start (see below)
        # the boundaries' units are written to the file with the rest of the run, not by an automatic checkpoint
        # amid the next source (0.2 s for 100,000 units); the tables' millions of rows are checkpointed as usual
        con.execute("SET checkpoint_threshold = '1GB'")
        for kind in ("boundaries", "table", "bdl", "proposals", "area", "typology"):
            if kind == "table":
                con.execute("RESET checkpoint_threshold")
            if kind == "table" and (touched_levels or removed_levels):
                # display coverages are simplified in the background (by a separate process for a large level) while the
                # parents and the tables are loaded; they are written at the end of the run
                for level in sorted((touched_levels | removed_levels) - set(display_jobs)):
                    codes, wkb = level_geometries(con, level)
                    display_jobs[level] = (codes, pool.submit(display_wkb, wkb))
                step(say("step_parents"))
                assign_parents(con, workspace)
            for src in (s for s in workspace.sources if s.kind == kind):
                if actions[src.id] == "unchanged":
                    result.sources.append(SourceResult(src.id, src.kind, "unchanged"))
                    current.record_action(src.id, "unchanged")
                    continue
                step(
                    say(
                        "step_source",
                        kind=word("cli_kind", src.kind),
                        source=src.id,
                        file=f" ({src.path.name})" if src.path else "",
                    )
                )
                provenance = None
                started = time.perf_counter()
                try:
                    if kind == "boundaries":
                        level = src.opt("level")
                        # a source whose level changed leaves its former level: that level's display goes too
                        touched_levels |= source_levels(con, src.id) - {level}
                        start = None
                        if _sole_source_of_level(con, workspace, src):

                            def start(codes, wkb, level=level):
                                later[level] = (codes, wkb)

                        features = reads.pop(src.id).result()
                        spatial_loaded()
                        following = to_read[to_read.index(src) + 1 :]
                        if following:
                            reads[following[0].id] = pool.submit(read_source, following[0])
                        _threads(con, busy=[*reads.values(), *(job for _c, job in display_jobs.values())])
                        counts = load_boundaries(
                            con,
                            src,
                            rejects,
                            on_geometries=start,
                            features=features,
                            crosswalk=crosswalks.get(src.opt("crosswalk")),
                        )
                        touched_levels.add(level)
                    elif kind == "table":
                        _threads(con, busy=[*reads.values(), *(job for _c, job in display_jobs.values())])
                        catalogue = {i.id: i for i in workspace.indicators}
                        counts = load_table(
                            con, src, rejects, catalogue, crosswalk=crosswalks.get(src.opt("crosswalk"))
                        )
                    elif kind == "bdl":
                        counts, provenance = load_bdl_source(con, src, rejects, workspace.path.parent)
                    elif kind == "proposals":
                        counts = load_proposals(
                            con, src, rejects, workspace, crosswalk=crosswalks.get(src.opt("crosswalk"))
                        )
                    elif kind == "typology":
                        counts = load_typology(con, src, rejects)
                    else:
                        counts = load_area(con, src)
                except GeodataError as exc:  # a file that cannot be read or placed: name the source
                    raise SourceError(say("err_in_source", source=src.id, error=as_raised(exc))) from exc
                except SourceError as exc:
                    if f"'{src.id}'" in str(exc):
                        raise
                    raise SourceError(say("err_in_source", source=src.id, error=as_raised(exc))) from exc
                if not counts["rows_loaded"] and kind != "area" and not src.opt("allow_empty"):
                    raise SourceError(nothing_loaded(src, counts, rejects))
                current.record(src.id, src.kind, str(src.path or workspace.path), src.checksum(), counts, provenance)
                result.sources.append(
                    SourceResult(src.id, src.kind, "loaded", seconds=time.perf_counter() - started, **counts)
                )
                on_source(result.sources[-1])
                loaded.append(src)
                # started once the source is recorded: the display job's shapely calls hold Python's lock for tenths
                # of a second, and each of the source's statements would wait for it
                for level, (codes, wkb) in later.items():
                    display_jobs[level] = (codes, pool.submit(display_wkb, wkb))
                later.clear()
        if loaded or actions[META_SOURCE] == "load":
            step(say("step_derived"))
            compute_aggregates(con)  # coarser levels first: a powiat's rate is then derived from its sums
            compute_derived(con)
        if display_jobs and not is_lake(con):
            # write what is done to the file while the display coverages are still being simplified
            con.execute("CHECKPOINT")
        displays = {level: (codes, job.result()) for level, (codes, job) in display_jobs.items()}
        _threads(con, busy=[])  # every core for the tiles of a large level
        if any(len(codes) >= tiles.TILES_AT_LOAD for codes, _w in displays.values()):
            step(say("step_tiles"))
        for level, (codes, wkb) in displays.items():
            write_display(con, level, codes, wkb)
        rejects.write(con, [s.id for s in loaded] + [o for o, a in actions.items() if a == "remove"])
        if loaded:
            _threads(con, busy=[])
            _check_one_unit_per_code(con)
            _check_one_value_per_key(con)
        step(say("step_writing"))
    return result
