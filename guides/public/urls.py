"""Public URLs of a tenant's help site, under a language prefix (i18n_patterns)."""

from django.urls import path

from guides.public import renditions, views
from guides.search import views as search_views

app_name = "guides"

urlpatterns = [
    path("", views.home, name="home"),
    path("carriers/<slug:slug>/", views.carrier_detail, name="carrier_detail"),
    path("cards/<slug:slug>/", views.card_type_detail, name="card_type_detail"),
    # Pages of long listings: in the path, so each is cached like a page.
    path(
        "carriers/<slug:slug>/page/<str:page>/",
        views.carrier_detail,
        name="carrier_detail_page",
    ),
    path(
        "cards/<slug:slug>/page/<str:page>/",
        views.card_type_detail,
        name="card_type_detail_page",
    ),
    path("guides/<slug:slug>/", views.article_detail, name="article_detail"),
    path("guides/<slug:slug>.md", renditions.article_markdown, name="article_markdown"),
    path("llms.txt", renditions.llms_txt_language, name="llms_txt"),
    path(
        "guides/<slug:slug>/feedback/", views.article_feedback, name="article_feedback"
    ),
    path("guides/<slug:slug>/read/", views.article_read, name="article_read"),
    path("search/", views.public_page(search_views.search), name="search"),
    path(
        "search/suggest/",
        views.public_page(search_views.suggest),
        name="search_suggest",
    ),
    path(
        "search/go/<int:query_id>/<slug:slug>/",
        views.public_page(search_views.search_click),
        name="search_click",
    ),
]
