"""What readers see: the publication snapshot, Markdown, the article body."""
