import json
import os

import joblib


def init():
    global model
    model = joblib.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "churn.pkl"))


def run(raw_data):
    return model.predict(json.loads(raw_data)["data"]).tolist()
