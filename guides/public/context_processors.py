from django.utils import translation


def tenant(request):
    """Expose the request's tenant and the public site's links to templates."""
    from guides.public.seo import site_links

    tenant = getattr(request, "tenant", None)
    return {
        "tenant": tenant,
        "site_links": site_links(translation.get_language())
        if tenant is not None
        else {},
    }
