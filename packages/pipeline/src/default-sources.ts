import type { NewSource } from '@frameline/store';

/**
 * Feeds `crawl` uses when no source has been added: the ML ecosystem's own publishers. Each is tagged
 * `default` so `sources list` shows where it came from and `sources remove` can drop it like any other.
 */
export const DEFAULT_SOURCES: readonly NewSource[] = [
  { name: 'PyTorch blog', url: 'https://pytorch.org/feed.xml', tags: ['default', 'framework'] },
  {
    name: 'TensorFlow blog',
    url: 'https://blog.tensorflow.org/feeds/posts/default?alt=rss',
    tags: ['default', 'framework'],
  },
  { name: 'Keras blog', url: 'https://blog.keras.io/feeds/all.atom.xml', tags: ['default', 'framework'] },
  {
    name: 'JAX and Google Developers AI',
    url: 'https://developers.googleblog.com/feeds/posts/default',
    tags: ['default', 'vendor'],
  },
  {
    name: 'NVIDIA Technical Blog',
    url: 'https://developer.nvidia.com/blog/feed',
    tags: ['default', 'vendor'],
  },
  {
    name: 'AWS Machine Learning Blog',
    url: 'https://aws.amazon.com/blogs/machine-learning/feed/',
    tags: ['default', 'vendor'],
  },
  { name: 'Google Research blog', url: 'https://research.google/blog/rss/', tags: ['default', 'research'] },
  {
    name: 'Google DeepMind blog',
    url: 'https://deepmind.google/blog/rss.xml',
    tags: ['default', 'research'],
  },
  {
    name: 'Google Cloud AI & ML',
    url: 'https://cloudblog.withgoogle.com/products/ai-machine-learning/rss/',
    tags: ['default', 'vendor'],
  },
  {
    name: 'Microsoft Research blog',
    url: 'https://www.microsoft.com/en-us/research/feed/',
    tags: ['default', 'research'],
  },
  { name: 'Azure blog', url: 'https://azure.microsoft.com/en-us/blog/feed/', tags: ['default', 'vendor'] },
  { name: 'Hugging Face blog', url: 'https://huggingface.co/blog/feed.xml', tags: ['default', 'library'] },
  { name: 'fast.ai', url: 'https://www.fast.ai/index.xml', tags: ['default', 'library'] },
  { name: 'Meta Engineering', url: 'https://engineering.fb.com/feed/', tags: ['default', 'vendor'] },
  { name: 'OpenAI news', url: 'https://openai.com/news/rss.xml', tags: ['default', 'vendor'] },
  {
    name: 'Apple Machine Learning Research',
    url: 'https://machinelearning.apple.com/rss.xml',
    tags: ['default', 'research'],
  },
  { name: 'BAIR blog', url: 'https://bair.berkeley.edu/blog/feed.xml', tags: ['default', 'research'] },
  {
    name: 'Intel AI (Intel Tech)',
    url: 'https://community.intel.com/kntur85557/rss/board?board.id=blogs-ai',
    tags: ['default', 'vendor'],
  },
  {
    name: 'Arm community AI blog',
    url: 'https://community.arm.com/arm-community-blogs/b/ai-blog/rss',
    tags: ['default', 'vendor'],
  },
  {
    name: 'Qualcomm AI Research (OnQ)',
    url: 'https://www.qualcomm.com/news/onq/rss',
    tags: ['default', 'vendor'],
  },
  { name: 'vLLM blog', url: 'https://blog.vllm.ai/feed.xml', tags: ['default', 'library'] },
  {
    name: 'MIT News: artificial intelligence',
    url: 'https://news.mit.edu/topic/mitartificial-intelligence2-rss.xml',
    tags: ['default', 'news'],
  },
  { name: 'The Gradient', url: 'https://thegradient.pub/rss/', tags: ['default', 'news'] },
  { name: 'Udacity blog', url: 'https://www.udacity.com/blog/feed', tags: ['default', 'program'] },
];
