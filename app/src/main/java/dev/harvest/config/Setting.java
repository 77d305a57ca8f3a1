package dev.harvest.config;

/**
 * One value given for a setting, and where it came from, so an error can say
 * "--concurrency: ..." or "job.properties: concurrency: ...".
 *
 * @param key    the option key
 * @param value  the text as given
 * @param origin where it was given, for messages
 */
public record Setting(String key, String value, String origin) {
}
