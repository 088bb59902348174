//! Itineraries as Markdown, JSON and table.
