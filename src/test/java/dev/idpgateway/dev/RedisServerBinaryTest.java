package dev.idpgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class RedisServerBinaryTest {
    @Test
    void namesTheBinaryOfEachPlatformTheBuildPacks() {
        assertEquals("/redis-server/linux-amd64", RedisServerBinary.resourceFor("Linux", "amd64"));
        assertEquals("/redis-server/linux-arm64", RedisServerBinary.resourceFor("Linux", "aarch64"));
        assertEquals("/redis-server/darwin-amd64", RedisServerBinary.resourceFor("Mac OS X", "x86_64"));
        assertEquals("/redis-server/darwin-arm64", RedisServerBinary.resourceFor("Mac OS X", "aarch64"));
    }

    @Test
    void theBinaryOfThisPlatformIsOnTheClasspath() {
        String resource = RedisServerBinary.resourceFor(System.getProperty("os.name"), System.getProperty("os.arch"));
        assertNotNull(RedisServerBinary.class.getResource(resource), resource);
    }
}
