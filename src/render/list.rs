//! Ranked lists (recommend, search) as table, JSON, CSV and Markdown.
