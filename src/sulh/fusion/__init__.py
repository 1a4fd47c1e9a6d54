"""Fusion: reports about one real event become one incident, graded for confidence."""
