"""Chanjiao Graph (产教图谱): settings and the `chanjiao` command line."""
