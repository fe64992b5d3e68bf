# Dark-48's 48 classes in label order (yzfly/Dark48
# annotations/classInd.txt), spelled for CLIP's text classifier.
dark48_classes = [
    'adult female singing', 'adult male singing', 'adult male speaking',
    'applauding', 'ascending', 'balancing', 'bouncing', 'breathing fire',
    'bubbling', 'burning', 'cheering', 'child singing', 'clapping',
    'combusting', 'coughing', 'dancing', 'descending', 'driving', 'dropping',
    'drumming', 'erupting', 'floating', 'headbanging', 'juggling',
    'juggling fire', 'karaoke', 'performing', 'playing', 'playing laser tag',
    'playing music', 'playing videogames', 'raining',
    'riding mechanical bull', 'rising', 'rocking', 'shooting off fireworks',
    'shouting', 'silent disco', 'singing', 'smoking', 'spelunking',
    'spilling', 'spinning', 'spinning poi', 'storming', 'talking', 'turning',
    'whistling']
