"""Cleaning: turn a raw article's text into clean paragraphs plus metadata.

``steps.py`` holds the pure steps (strip markup, lift embeds, header/trailer lines to metadata, rejoin broken
paragraphs, drop duplicated standfirsts); ``rules.py`` holds the publisher boilerplate heuristics as data
(``BlockRule`` and ``Inline`` entries), each counted per article in the manifest when it fires.
"""
