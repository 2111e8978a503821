"""Geometry: reading boundary files, repair, reprojection, areas, display simplification, spatial joins."""
