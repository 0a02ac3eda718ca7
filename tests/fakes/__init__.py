"""Fakes at the boundary: a fake Slack served over HTTP, and builders for the requests Slack sends."""
