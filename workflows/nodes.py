"""Nodes the open-source viewflow lacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation


class PerItemSplitActivation(SplitActivation):
    """Creates one task per item of a branch's data source, with ``task.data`` set to
    the item; branches without a data source get one task, as in ``Split``."""

    @Activation.status.super()
    def activate(self) -> None:
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, dict(item)) for item in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class PerItemSplit(flow.Split):
    """A parallel split whose ``Next`` honours ``data_source``.

    viewflow 2.4.0's ``Split.Next`` documents ``data_source`` but neither accepts nor
    uses it; ``SplitActivation.create_next`` already passes each (node, data) pair on,
    so only the branch list and the activation need to change.
    """

    activation_class = PerItemSplitActivation

    def Next(
        self,
        node: Any,
        case: Callable[[Activation], bool] | None = None,
        data_source: Callable[[Activation], list[dict[str, Any]]] | None = None,
    ) -> PerItemSplit:
        self._activate_next.append((node, case, data_source))
        return self
