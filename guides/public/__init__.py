"""The readers' side: URLs, views, SEO, sitemaps and the Jinja2 environment."""
