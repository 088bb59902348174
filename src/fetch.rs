//! Fetching from the datatracker: a polite HTTP client and the meeting fetcher that fills the snapshot.
