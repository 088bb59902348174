//! The tantivy index: schema, building aside and swapping in atomically, opening for search.
