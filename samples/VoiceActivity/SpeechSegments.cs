namespace VoiceActivity;

/// <summary>A stretch of speech, in seconds.</summary>
internal readonly record struct SpeechSegment(double Start, double End);

/// <summary>
/// Turns per-window speech probabilities into segments the way Silero's own
/// <c>get_speech_timestamps</c> does: enter speech at <c>threshold</c>, leave it only after
/// <c>minSilence</c> below <c>threshold - 0.15</c>, and drop segments shorter than <c>minSpeech</c>.
/// </summary>
internal static class SpeechSegments
{
    public static List<SpeechSegment> Find(
        IReadOnlyList<float> probabilities, double windowSeconds,
        float threshold = 0.5f, double minSpeech = 0.25, double minSilence = 0.1)
    {
        float exitThreshold = threshold - 0.15f;
        var segments = new List<SpeechSegment>();
        int start = -1, silenceStart = -1;
        for (int i = 0; i < probabilities.Count; i++)
        {
            float p = probabilities[i];
            if (start < 0)
            {
                if (p >= threshold)
                {
                    start = i;
                    silenceStart = -1;
                }

                continue;
            }

            if (p >= exitThreshold)
            {
                silenceStart = -1;
                continue;
            }

            if (silenceStart < 0)
            {
                silenceStart = i;
            }

            if ((i - silenceStart + 1) * windowSeconds >= minSilence)
            {
                Add(start, silenceStart);
                start = -1;
                silenceStart = -1;
            }
        }

        if (start >= 0)
        {
            Add(start, probabilities.Count);
        }

        return segments;

        void Add(int first, int endExclusive)
        {
            if ((endExclusive - first) * windowSeconds >= minSpeech)
            {
                segments.Add(new SpeechSegment(first * windowSeconds, endExclusive * windowSeconds));
            }
        }
    }
}
