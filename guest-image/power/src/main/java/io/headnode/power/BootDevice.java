package io.headnode.power;

public enum BootDevice { PXE, DISK }
