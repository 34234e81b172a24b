def tenant(request):
    """Expose the request's tenant to templates."""
    return {"tenant": getattr(request, "tenant", None)}
