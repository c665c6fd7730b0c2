"""Youth networks for the risicojongeren overleg: which youth groups exist, how they relate to the
registered groups, who bridges them, and which youths are linked to adults in ondermijning/drugs signals.

See docs/youth.md.
"""

from netwerk.youth.analysis import GROUP_TABLES, GroupAnalysis, analyse_groups, classification_hint, run_analysis
from netwerk.youth.communities import GroupDetection, detect_groups
from netwerk.youth.compare import match_groups, registered_groups
from netwerk.youth.network import YouthNetwork, youth_graph, youth_network
from netwerk.youth.roles import Centrality, centrality, member_roles, youth_adult_links

__all__ = [
    "GROUP_TABLES",
    "Centrality",
    "GroupAnalysis",
    "GroupDetection",
    "YouthNetwork",
    "analyse_groups",
    "centrality",
    "classification_hint",
    "detect_groups",
    "match_groups",
    "member_roles",
    "registered_groups",
    "run_analysis",
    "youth_adult_links",
    "youth_graph",
    "youth_network",
]
