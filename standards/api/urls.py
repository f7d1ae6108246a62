from django.urls import path

from standards.api import views

urlpatterns = [
    path("editions/", views.EditionList.as_view(), name="edition-list"),
    path("editions/<str:code>/", views.EditionDetail.as_view(), name="edition-detail"),
    path("editions/<str:code>/items/", views.ItemList.as_view(), name="item-list"),
    path(
        "editions/<str:code>/items/<str:item_code>/",
        views.ItemDetail.as_view(),
        name="item-detail",
    ),
    path("editions/<str:code>/evaluate/", views.EditionEvaluate.as_view(), name="evaluate"),
    path("rule-sets/", views.RuleSetList.as_view(), name="ruleset-list"),
    path("rule-sets/<int:pk>/", views.RuleSetDetail.as_view(), name="ruleset-detail"),
]
