"""Integrations of declutter with other tools (optional extras: ``pip install 'declutter[scrapy]'``)."""
