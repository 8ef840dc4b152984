# Study (issue 28, size and cost): see the moves at 256 px for the price of
# 128. ccp-data-ccp.py's model runs on the person's square at 256 px (as
# ccp-256.py), but trains on 128 px crops of 0.4-0.6 of the square centred
# on the body: a crop shows the body at the scale the model sees it at
# 256 px, where the moves are twice as long, and a step costs what a 128 px
# step costs, so the cosine rate keeps the 128 px run's 4000 iterations.
# On the 59 built-in photos the same idea (zoom-crops.py) lost the close-up
# it had learnt; CCP's full bodies are all at one scale. Equal minutes:
#   taskset -c 1 python benchmarks/bench_flow_learning.py ccp-zoom-256 \
#       --minutes 60 --every 20 --threads 1 --workers 0 --out work_dirs/ccp
_base_ = ['./ccp-data-ccp.py']

resolution = 256
model = dict(working_size=resolution)
crop = 3  # PairedRandomResizedCrop in the train pipeline
pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(dataset=dict(pipeline=pipeline[:crop] + [
    dict(pipeline[crop], size=128, scale=(0.4, 0.6),
         centre_on='original_mask')] + pipeline[crop + 1:]))
