# The released SCI weights that the ARID pipelines enhance with: `medium.pt`
# of the official SCI repository (vis-opt-group/SCI, MIT licence), saved as
# checkpoints/sci/medium.pt. The one place to point them elsewhere.
sci_checkpoint = 'checkpoints/sci/medium.pt'
