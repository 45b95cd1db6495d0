package io.headnode.power;

public enum PowerState { ON, OFF, UNKNOWN }
