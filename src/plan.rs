//! Planning: an exact, conflict-free itinerary from ranked sessions.
