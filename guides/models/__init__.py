"""The guides app's models, one module per concern, re-exported here."""

from guides.models.api import ApiToken
from guides.models.articles import FAQ, PART_MODELS, Article, Requirement, Step, Tip
from guides.models.catalog import CardType, Carrier, Channel
from guides.models.feedback import Feedback
from guides.models.freshness import ReviewReminder
from guides.models.frontcache import FrontendPurge
from guides.models.generations import Generation
from guides.models.invitations import Invitation
from guides.models.publishing import Publication, RevisionMeta
from guides.models.search import SearchDocument, SearchQuery, SynonymGroup
from guides.models.tenants import Domain, Membership, Tenant, normalize_host

__all__ = [
    "FAQ",
    "PART_MODELS",
    "ApiToken",
    "Article",
    "CardType",
    "Carrier",
    "Channel",
    "Domain",
    "Feedback",
    "FrontendPurge",
    "Generation",
    "Invitation",
    "Membership",
    "Publication",
    "Requirement",
    "ReviewReminder",
    "RevisionMeta",
    "SearchDocument",
    "SearchQuery",
    "Step",
    "SynonymGroup",
    "Tenant",
    "Tip",
    "normalize_host",
]
