//! Staff profiles files: one official per table, validated with line numbers.
