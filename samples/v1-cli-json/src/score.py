import json
import os

import joblib


def init():
    global model
    # v1 mounts the model under AZUREML_MODEL_DIR/<model name>/<version>/ when several are deployed.
    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl")
    model = joblib.load(path)


def run(raw_data):
    data = json.loads(raw_data)["data"]
    return model.predict(data).tolist()
