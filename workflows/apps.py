from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Defining the flow class registers its nodes and the process permissions; the
        # driver runs the flow it is handed here and never imports the flows module.
        from workflows import driver, flows

        driver.use_flow(flows.AssessmentFlow)
