from django.shortcuts import render
from django.utils import translation

from guides import selectors


def home(request):
    """List the tenant's published procedures in the reader's language."""
    tenant = request.tenant
    language = translation.get_language()
    if language not in tenant.languages:
        language = tenant.default_language
    publications = [
        {"slug": p.slug, **p.content.get(language, p.content[p.languages[0]])}
        for p in selectors.publication_list()
    ]
    return render(
        request,
        "guides/home.html",
        {"publications": publications, "language": language},
    )
