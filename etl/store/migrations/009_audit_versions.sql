-- Who saved, replaced, deleted or restored what, and every saved version of user content (areas drawn in the
-- dashboard, comparison groups), so that nothing a colleague saved is overwritten without a trace.
CREATE TABLE audit (
    happened_at TIMESTAMP NOT NULL,
    who         TEXT NOT NULL,         -- the signed-in user's e-mail, or 'local user' without sign-in
    action      TEXT NOT NULL,         -- save, replace, delete, restore
    object_kind TEXT NOT NULL,         -- area, group
    object_id   TEXT NOT NULL,
    version     INTEGER,               -- the version this action wrote (NULL for delete)
    detail      TEXT                   -- JSON: name, members, ...
);

CREATE TABLE saved_versions (
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    saved_at    TIMESTAMP NOT NULL,
    saved_by    TEXT NOT NULL,
    content     TEXT NOT NULL,         -- JSON: what it takes to restore it
    PRIMARY KEY (object_kind, object_id, version)
);
