"""The web pages: HTML controllers over the same services as the JSON API."""
