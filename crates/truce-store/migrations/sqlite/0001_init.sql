-- truce store schema, version 1 (SQLite). Dates are 'YYYY-MM-DD' text ('' when unknown), so
-- keyset pagination compares plain values; instants are unix milliseconds; lists of vocabulary
-- terms are ',a,b,' text.

CREATE TABLE documents (
    seq         INTEGER PRIMARY KEY,        -- insertion order: keyset tiebreak, small index entries
    id          TEXT NOT NULL UNIQUE,       -- sha256 hex of text
    text_len    INTEGER NOT NULL,           -- bytes
    published   TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL,
    url         TEXT,
    source      TEXT,
    boilerplate TEXT NOT NULL DEFAULT '',   -- 'start-end,start-end'
    ingested_at INTEGER NOT NULL,
    text        TEXT NOT NULL            -- last: listings never read through its overflow pages
);
CREATE INDEX documents_by_published ON documents (published, seq);

CREATE TABLE incidents (
    seq            INTEGER PRIMARY KEY,
    document       TEXT NOT NULL REFERENCES documents (id),
    ord            INTEGER NOT NULL,
    date           TEXT NOT NULL DEFAULT '',
    date_precision TEXT NOT NULL,
    place          TEXT,
    admin1         TEXT,
    country        TEXT,
    lat            REAL,
    lon            REAL,
    geo_precision  TEXT,
    perpetrator    TEXT NOT NULL,
    reported_by    TEXT NOT NULL,
    weapons        TEXT NOT NULL,
    targets        TEXT NOT NULL,
    killed_n       INTEGER,
    killed_q       TEXT,
    killed_vague   INTEGER,
    injured_n      INTEGER,
    injured_q      TEXT,
    injured_vague  INTEGER,
    ev_start       INTEGER NOT NULL,
    ev_end         INTEGER NOT NULL,
    ev_text        TEXT NOT NULL,
    UNIQUE (document, ord)
);
CREATE INDEX incidents_by_date ON incidents (date, seq);
CREATE INDEX incidents_by_admin1 ON incidents (admin1, date, seq);
CREATE INDEX incidents_by_place ON incidents (place, date, seq);
CREATE INDEX incidents_by_perpetrator ON incidents (perpetrator, date, seq);

CREATE TABLE statements (
    seq      INTEGER PRIMARY KEY,
    document TEXT NOT NULL REFERENCES documents (id),
    ord      INTEGER NOT NULL,
    date     TEXT NOT NULL DEFAULT '',
    speaker  TEXT NOT NULL,
    party    TEXT NOT NULL,
    act      TEXT NOT NULL,
    about    TEXT NOT NULL,
    target   TEXT,
    ev_start INTEGER NOT NULL,
    ev_end   INTEGER NOT NULL,
    ev_text  TEXT NOT NULL,
    UNIQUE (document, ord)
);
CREATE INDEX statements_by_date ON statements (date, seq);
CREATE INDEX statements_by_party ON statements (party, date, seq);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    date        TEXT NOT NULL DEFAULT '',
    place       TEXT,
    admin1      TEXT,
    country     TEXT,
    lat         REAL,
    lon         REAL,
    perpetrator TEXT NOT NULL,
    targets     TEXT NOT NULL,
    payload     TEXT NOT NULL,              -- the merged event as JSON (the events crate's DTO)
    updated_at  INTEGER NOT NULL
);
CREATE INDEX events_by_date ON events (date, id);
CREATE INDEX events_by_admin1 ON events (admin1, date, id);
CREATE INDEX events_by_place ON events (place, date, id);
CREATE INDEX events_by_perpetrator ON events (perpetrator, date, id);

CREATE TABLE event_members (
    event    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    ord      INTEGER NOT NULL,
    PRIMARY KEY (event, document, ord),
    FOREIGN KEY (document, ord) REFERENCES incidents (document, ord)
);
CREATE INDEX event_members_by_incident ON event_members (document, ord);

CREATE TABLE agreements (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    toml       TEXT NOT NULL,
    summary    TEXT NOT NULL,               -- the parsed agreement as JSON
    updated_at INTEGER NOT NULL
);

CREATE TABLE verdicts (
    event      TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    agreement  TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    verdict    TEXT NOT NULL,
    strength   TEXT,
    reason     TEXT NOT NULL,
    engine     TEXT NOT NULL,
    entries    TEXT NOT NULL,               -- log indexes read, 'i,j,k'
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (event, agreement)
);
CREATE INDEX verdicts_by_verdict ON verdicts (verdict, event, agreement);
CREATE INDEX verdicts_by_agreement ON verdicts (agreement, event);

CREATE TABLE reports (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    author   TEXT NOT NULL,
    body     TEXT NOT NULL,                 -- the structured field report as JSON
    document TEXT REFERENCES documents (id),
    at       INTEGER NOT NULL
);

CREATE TABLE reviews (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    event  TEXT NOT NULL,                 -- no foreign key: reviews outlive re-merged events
    action TEXT NOT NULL CHECK (action IN ('verify', 'dispute', 'duplicate')),
    author TEXT NOT NULL,
    note   TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX reviews_by_event ON reviews (event, id);

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    hash       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('public', 'monitor', 'analyst', 'admin')),
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    author  TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL
);

CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL UNIQUE,
    payload    TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    worker     TEXT,
    lease_until INTEGER,                -- a running job whose lease expired is handed out again
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, id);

CREATE TABLE log_tiles (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    width INTEGER NOT NULL,
    data  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE log_bundles (
    idx   INTEGER PRIMARY KEY,
    width INTEGER NOT NULL,
    data  BLOB NOT NULL
);

CREATE TABLE log_checkpoints (
    size INTEGER PRIMARY KEY,
    note BLOB NOT NULL,
    at   INTEGER NOT NULL
);

CREATE TABLE log_key (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    path     TEXT NOT NULL,
    verifier TEXT NOT NULL
);
