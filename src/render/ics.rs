//! Itineraries as iCalendar (RFC 5545).
