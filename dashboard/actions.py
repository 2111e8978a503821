"""Every write the dashboard makes to the store, in one place, each checked against the user's role first.

Saving programme areas and comparison groups (analysts and admins), deleting and restoring them (admins). Each
write is whole or nothing and touches only the user content (:func:`etl.store.writing.saving`), is recorded in
the audit with the user's name, and never replaces something saved before unless ``replace=True``
(:mod:`etl.store.user_content`).
"""

from __future__ import annotations

from typing import Any

from dashboard.access import Access
from etl.store import Store, areas, groups
from etl.store.user_content import AlreadySaved

__all__ = ["AlreadySaved", "delete_area", "delete_group", "restore_area", "restore_group", "save_area", "save_group"]


def save_area(access: Access, db: Store, area_id: str, name: str, kind: str, codes: list[str], **options: Any) -> int:
    access.require("save")
    return areas.save_area(db, area_id, name, kind, codes, who=access.who, **options)


def save_group(access: Access, db: Store, group_id: str, name: str, codes: list[str], *, replace: bool = False) -> int:
    access.require("save")
    return groups.save_group(db, group_id, name, codes, who=access.who, replace=replace)


def delete_area(access: Access, db: Store, area_id: str) -> None:
    access.require("delete")
    areas.delete_area(db, area_id, who=access.who)


def delete_group(access: Access, db: Store, group_id: str) -> None:
    access.require("delete")
    groups.delete_group(db, group_id, who=access.who)


def restore_area(access: Access, db: Store, area_id: str, number: int) -> int:
    access.require("delete")
    return areas.restore_area(db, area_id, number, who=access.who)


def restore_group(access: Access, db: Store, group_id: str, number: int) -> int:
    access.require("delete")
    return groups.restore_group(db, group_id, number, who=access.who)
