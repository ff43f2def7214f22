"""DistilBERT's sections: distillation, figure 17's comparison, three ways to make a model light."""
