from django.urls import path

from standards.api import views

urlpatterns = [
    path("editions/", views.EditionList.as_view(), name="edition-list"),
    path("import/", views.CatalogueImport.as_view(), name="catalogue-import"),
    path("editions/<str:code>/", views.EditionDetail.as_view(), name="edition-detail"),
    path("editions/<str:code>/publish/", views.EditionPublish.as_view(), name="edition-publish"),
    path("editions/<str:code>/retire/", views.EditionRetire.as_view(), name="edition-retire"),
    path("editions/<str:code>/clone/", views.EditionClone.as_view(), name="edition-clone"),
    path("editions/<str:code>/export/", views.EditionExport.as_view(), name="edition-export"),
    path("editions/<str:code>/items/", views.ItemList.as_view(), name="item-list"),
    path(
        "editions/<str:code>/items/<str:item_code>/",
        views.ItemDetail.as_view(),
        name="item-detail",
    ),
    path("editions/<str:code>/evaluate/", views.EditionEvaluate.as_view(), name="evaluate"),
    path("rule-sets/", views.RuleSetList.as_view(), name="ruleset-list"),
    path("rule-sets/<id:pk>/", views.RuleSetDetail.as_view(), name="ruleset-detail"),
    path("rule-sets/<id:pk>/publish/", views.RuleSetPublish.as_view(), name="ruleset-publish"),
    path("rule-sets/<id:pk>/retire/", views.RuleSetRetire.as_view(), name="ruleset-retire"),
]
