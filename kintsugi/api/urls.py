from ninja import NinjaAPI

api = NinjaAPI(title="Kintsugi API", version="1", urls_namespace="api")
