"""Serializers per area: input serializers validate a request's shape (the services
check the rest); output serializers describe exactly what the views answer."""
